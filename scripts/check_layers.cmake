# Refuses a backwards include between oasim's layers (run by the build before anything compiles, and by a
# test on a deliberately bad tree). Usage: cmake -DROOT=<source tree> -P scripts/check_layers.cmake
#
# Layers, lowest first; a file may include its own layer and those below, never one above:
#   0 common   sim/common
#   1 config   sim/config                      (the key-table mechanism)
#   2 hardware models                          (components, light budget, energy table, optical numerics)
#   3 model    workloads/videomamba, workloads/data, workloads/quant
#   4 mapping  workloads/compiler, sim/systemc, sim/hardware, sim/costing   (mapping and timing)
#   5 app      sim/trace, sim/run, sim/analysis, sim/sweep, sim/cli
if(NOT ROOT)
  message(FATAL_ERROR "check_layers: pass -DROOT=<source tree>")
endif()
set(OASIM_LAYERS
  "sim/common=0" "sim/config=1" "models=2"
  "workloads/videomamba=3" "workloads/data=3" "workloads/quant=3"
  "workloads/compiler=4" "sim/systemc=4" "sim/hardware=4" "sim/costing=4"
  "sim/trace=5" "sim/run=5" "sim/analysis=5" "sim/sweep=5" "sim/cli=5")

function(layer_of path out)
  set(rank -1)
  foreach(entry ${OASIM_LAYERS})
    string(REPLACE "=" ";" kv "${entry}")
    list(GET kv 0 prefix)
    list(GET kv 1 r)
    string(LENGTH "${prefix}/" n)
    string(SUBSTRING "${path}" 0 ${n} head)
    if(head STREQUAL "${prefix}/")
      set(rank ${r})
    endif()
  endforeach()
  set(${out} ${rank} PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE sources RELATIVE "${ROOT}" "${ROOT}/sim/*.?pp" "${ROOT}/models/*.?pp" "${ROOT}/workloads/*.?pp")
set(violations "")
foreach(src ${sources})
  layer_of("${src}" own)
  if(own LESS 0)
    continue()
  endif()
  file(STRINGS "${ROOT}/${src}" includes REGEX "^[ \t]*#[ \t]*include[ \t]+\"[^\"]+\"")
  foreach(line ${includes})
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]+\"([^\"]+)\".*" "\\1" inc "${line}")
    layer_of("${inc}" theirs)
    if(theirs GREATER own)
      string(APPEND violations "\n  ${src} (layer ${own}) includes ${inc} (layer ${theirs})")
    endif()
  endforeach()
endforeach()
if(violations)
  message(FATAL_ERROR "backwards include between layers (see scripts/check_layers.cmake):${violations}")
endif()
