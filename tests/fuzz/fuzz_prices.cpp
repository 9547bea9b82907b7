#include "fuzz_main.h"
#include "vmctl/core/cost.h"

void fuzz_one(const std::string& text) { vmctl::parse_price_sheet(text, "prices.yaml"); }
