#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace vmctl {

// Throws Error(InvalidArgument) unless `name` is 1 to 63 characters of
// [a-z0-9-], starting with a letter and not ending with '-' (the rule cloud
// providers use for instance names, and safe in file and volume names).
void validate_vm_name(std::string_view name);

// The same rule for other names vmctl turns into file names: `what` says
// whose ("image", "host") in the error.
void validate_name(std::string_view what, std::string_view name);

// Free text a user gives (a lab answer, a snapshot description): valid
// UTF-8, no control characters, at most `max_chars` characters. Throws
// Error(InvalidArgument) naming `what` and the problem.
void validate_text(std::string_view what, std::string_view text, std::size_t max_chars);

// Labels are KEY=VALUE pairs, spelled as cloud labels are: keys start with a
// letter, keys and values use [a-z0-9_-] and are at most 63 characters.
using Labels = std::map<std::string, std::string>;

// A pet is a VM labelled kind=pet: delete and apply refuse to remove it.
bool has_pet_label(const Labels& labels);

// Parses "KEY=VALUE" (throws Error(InvalidArgument) with the rule when it is not one).
std::pair<std::string, std::string> parse_label(std::string_view text);

// Parses every --label occurrence; a key given twice is an error.
Labels parse_labels(const std::vector<std::string>& texts);

}  // namespace vmctl
