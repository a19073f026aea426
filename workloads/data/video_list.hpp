#pragma once
// Which videos to evaluate, with their labels: the official list format (one `path label` per line,
// comma- or space-separated, paths relative to a root folder, as the official --data_path/--prefix/--split
// read it), or a folder-per-class layout (ROOT/CLASS_NAME/video.mp4).
#include <string>
#include <vector>

namespace oasim::data {

struct VideoEntry {
  std::string path;  // path to open (root joined in, unless the list gives an absolute path)
  std::string id;    // the path as the list gives it (relative to the root): the key in predictions
  int label = -1;    // class index; -1 = unknown
};

// One class name a line (the order is the class index). InputError if missing or empty.
std::vector<std::string> read_class_names(const std::string& path);

// separator: "auto" (split at the last comma if the line has one, else at the last run of whitespace),
// ",", " " or "\t". The label is an integer or, with class_names given, a class name. Blank lines and
// lines starting with '#' are skipped. Errors name "LIST:LINE".
std::vector<VideoEntry> read_video_list(const std::string& list, const std::string& root, const std::string& separator,
                                        const std::vector<std::string>& class_names);

// ROOT/CLASS/FILE for every video file (by extension). Labels follow class_names when given (a folder not
// in it is an InputError), else the sorted folder names, which are returned in class_names.
std::vector<VideoEntry> scan_class_folders(const std::string& root, std::vector<std::string>& class_names);

bool has_video_extension(const std::string& path);

}  // namespace oasim::data
