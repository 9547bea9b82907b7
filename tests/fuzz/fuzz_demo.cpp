#include "fuzz_main.h"
#include "vmctl/core/demo.h"

void fuzz_one(const std::string& text) { vmctl::demo::parse_script(text, "fuzz.demo"); }
