#include "fuzz_main.h"
#include "vmctl/core/deployment.h"

void fuzz_one(const std::string& text) { vmctl::parse_deployment(text, "fuzz.yaml"); }
