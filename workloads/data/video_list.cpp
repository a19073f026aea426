#include "workloads/data/video_list.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>

#include "sim/common/error.hpp"
#include "sim/common/path_checks.hpp"

namespace oasim::data {
namespace fs = std::filesystem;

namespace {
std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// Split at the last separator so paths may contain the separator character's other kind (spaces in a
// comma list).
bool split_line(const std::string& line, const std::string& sep, std::string& path, std::string& label) {
  size_t pos = std::string::npos;
  if (sep == "auto") {
    pos = line.rfind(',');
    if (pos == std::string::npos) pos = line.find_last_of(" \t");
  } else {
    pos = line.rfind(sep[0]);
  }
  if (pos == std::string::npos) return false;
  path = trim(line.substr(0, pos));
  label = trim(line.substr(pos + 1));
  return !path.empty() && !label.empty();
}
}  // namespace

bool has_video_extension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  static const char* known[] = {".mp4", ".avi", ".webm", ".mkv", ".mov", ".m4v", ".mpg", ".mpeg", ".flv", ".ogv"};
  return std::any_of(std::begin(known), std::end(known), [&](const char* k) { return ext == k; });
}

std::vector<std::string> read_class_names(const std::string& path) {
  std::ifstream in(path);
  if (!in) fail_input("cannot open class-name file '{}'", path);
  std::vector<std::string> names;
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (!line.empty()) names.push_back(line);
  }
  if (names.empty()) fail_input("class-name file '{}' is empty: expected one class name a line", path);
  return names;
}

std::vector<VideoEntry> read_video_list(const std::string& list, const std::string& root, const std::string& sep,
                                        const std::vector<std::string>& class_names) {
  std::ifstream in(list);
  if (!in) fail_input("cannot open video list '{}'", list);
  {
    // A binary file (an .h5, a video) given by mistake: a NUL byte near the start, as grep and git decide.
    std::string head(8000, '\0');
    in.read(head.data(), std::streamsize(head.size()));
    head.resize(size_t(in.gcount()));
    if (head.find('\0') != std::string::npos)
      fail_input("'{}' is not a text file (a video list holds `path label` lines)", list);
    in.clear();
    in.seekg(0);
  }
  std::map<std::string, int> by_name;
  for (size_t i = 0; i < class_names.size(); ++i) by_name[class_names[i]] = int(i);
  std::vector<VideoEntry> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    std::string path, label;
    if (!split_line(line, sep, path, label))
      fail_input("{}:{}: '{}': expected `path label` separated by {}", list, n, printable(line),
                 sep == "auto" ? "a comma or spaces" : "'" + sep + "'");
    VideoEntry e;
    e.id = path;
    e.path = root.empty() ? path : (fs::path(root) / path).string();  // like os.path.join(prefix, path)
    char* end = nullptr;
    long v = std::strtol(label.c_str(), &end, 10);
    if (*end == '\0' && v >= 0) {
      e.label = int(v);
      if (!class_names.empty() && e.label >= int(class_names.size()))
        fail_input("{}:{}: label {} out of range: the class-name file has {} classes", list, n, v, class_names.size());
    } else if (auto it = by_name.find(label); it != by_name.end()) {
      e.label = it->second;
    } else {
      fail_input("{}:{}: label '{}': expected a class index >= 0{}", list, n, printable(label),
                 class_names.empty() ? "" : " or a name from the class-name file");
    }
    out.push_back(std::move(e));
  }
  if (out.empty()) fail_input("video list '{}' has no entries", list);
  return out;
}

std::vector<VideoEntry> scan_class_folders(const std::string& root, std::vector<std::string>& class_names) {
  if (!is_folder(root)) fail_input("'{}' is not a folder", root);
  std::vector<std::string> folders;
  for (auto& d : fs::directory_iterator(root))
    if (d.is_directory()) folders.push_back(d.path().filename().string());
  std::sort(folders.begin(), folders.end());
  if (class_names.empty()) class_names = folders;
  std::map<std::string, int> by_name;
  for (size_t i = 0; i < class_names.size(); ++i) by_name[class_names[i]] = int(i);
  std::vector<VideoEntry> out;
  for (auto& f : folders) {
    auto it = by_name.find(f);
    if (it == by_name.end()) fail_input("{}: folder '{}' is not a class in the class-name file", root, f);
    std::vector<std::string> files;
    for (auto& v : fs::directory_iterator(fs::path(root) / f))
      if (v.is_regular_file() && has_video_extension(v.path().string())) files.push_back(v.path().filename().string());
    std::sort(files.begin(), files.end());
    for (auto& file : files)
      out.push_back({(fs::path(root) / f / file).string(), f + "/" + file, it->second});
  }
  if (out.empty()) fail_input("{}: no videos found in class folders (ROOT/CLASS/*.mp4 ...)", root);
  return out;
}

}  // namespace oasim::data
