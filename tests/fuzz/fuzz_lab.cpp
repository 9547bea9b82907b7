#include "fuzz_main.h"
#include "vmctl/core/lab.h"

void fuzz_one(const std::string& text) { vmctl::lab::parse_lab(text, "lab.yaml", "01-fuzz"); }
