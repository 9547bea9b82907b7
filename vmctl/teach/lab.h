#pragma once

#include "vmctl/teach/check.h"

#include <memory>
#include <string>
#include <vector>

namespace vmctl::teach {

struct Step {
    std::string title;
    std::string text;                // Markdown
    std::vector<std::string> hints;  // progressive: the first is the gentlest
    std::vector<std::unique_ptr<Check>> checks;  // the step is done when all pass
    std::string solution;            // shell: the reference solution
};

struct Lab {
    std::string id;       // the folder name, "01-first-vm"
    std::string dir;      // the folder
    std::string work_dir; // the student's own folder for the lab's files: $VMCTL_LAB_WORK, {work} in text
    std::string student;  // whose lab this is: $student in the file, $VMCTL_STUDENT in its scripts
    std::string title;
    std::string slides;   // the slide section it follows
    unsigned minutes = 0; // estimated time
    std::string intro;    // Markdown, shown by `lab start`
    std::string setup;    // shell, run by `lab start`, `lab reset` and `lab test`
    std::string cleanup;  // shell, run by `lab reset` and `lab test` after labelled VMs are removed
    std::string outro;    // Markdown, shown when the last step passes
    std::vector<Step> steps;
};

// Parses a lab.yaml text. `file` names it in errors, which are
// Error(FileInvalid) saying "FILE:LINE:COLUMN: what is wrong; how to fix it".
Lab parse_lab(const std::string& text, const std::string& file, const std::string& id);

// "01", "1", "01-first-vm" and "first-vm" all name the lab "01-first-vm".
bool lab_id_matches(const std::string& id, const std::string& wanted);

}  // namespace vmctl::teach
