#include "fuzz_main.h"
#include "vmctl/teach/lab.h"

void fuzz_one(const std::string& text) { vmctl::teach::parse_lab(text, "lab.yaml", "01-fuzz"); }
