// The single Catch2 main for all C++ tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
