#include "fuzz_main.h"
#include "vmctl/teach/demo.h"

void fuzz_one(const std::string& text) { vmctl::teach::parse_demo(text, "fuzz.demo"); }
