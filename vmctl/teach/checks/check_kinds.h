#pragma once

#include "vmctl/teach/check.h"

#include <memory>
#include <string>
#include <vector>

namespace vmctl::teach {

// A kind of check a lab file may use: its key, the arguments it takes, and
// how to read them into a Check.
//
// To add one: write NAME.cpp in this folder (a Check subclass and a
// NAME_check() function returning its CheckKind; label.cpp is a short
// example), declare NAME_check() below, and add it to the table in
// check_kinds.cpp. labs/README.md lists the kinds for lab authors.
struct CheckKind {
    std::string name;                   // its key in a lab file: "vm_state"
    std::vector<std::string> keys;      // the arguments it takes
    std::vector<std::string> required;  // those it must be given
    std::string scalar_key;             // what a plain value means ("vm_exists: web" is {vm: web}); empty: none
    std::unique_ptr<Check> (*read)(const CheckArgs& args);
};

// Reads a check of type T from its arguments: T's constructor does the work.
template <class T>
std::unique_ptr<Check> read_as(const CheckArgs& args) {
    return std::make_unique<T>(args);
}

// Every kind, in the order the labs guide lists them.
const std::vector<CheckKind>& check_kinds();

// One per file of this folder.
CheckKind vm_exists_check();
CheckKind vm_absent_check();
CheckKind vm_state_check();
CheckKind vm_cpus_check();
CheckKind vm_memory_check();
CheckKind snapshot_exists_check();
CheckKind snapshot_current_check();
CheckKind vm_on_host_check();
CheckKind migrated_check();
CheckKind label_check();
CheckKind vms_with_label_check();
CheckKind serial_log_check();
CheckKind guest_command_check();
CheckKind answer_check();
CheckKind choice_check();
CheckKind number_check();
CheckKind predict_check();
CheckKind script_check();

}  // namespace vmctl::teach
