#pragma once

#include <string>
#include <string_view>

namespace vmctl::teach {

// Who does the labs. Many students share one lab machine, some of them
// running a lab under sudo: everything a lab makes carries the student's
// name, so that no student sees or removes another's things.
//
// The name is VMCTL_STUDENT when set (the load benchmark plays many students
// from one account), else the invoking user: SUDO_USER under sudo, else the
// effective user. It is made fit for VM names by student_slug().
std::string student_name();

// A user name as a VM name's first part: lowercase letters, digits and '-',
// starting with a letter, at most 20 characters. A name that already is one
// stays as it is ("alice"); one that had to change gets a short hash of the
// name as it was, so that two users never share one ("John.Doe" becomes
// "john-doe-" and five hex digits).
std::string student_slug(std::string_view user);

// Every VM made while a lab is active carries student=NAME beside lab=ID.
inline constexpr const char* kStudentLabelKey = "student";

// In a lab file, `$student` stands for the student's name: `vmctl create
// $student-lab1-web` reads `vmctl create alice-lab1-web` for alice.
inline constexpr std::string_view kStudentPlaceholder = "$student";

// `text` with every `$student` (not followed by a letter, digit or '_') replaced by `name`.
std::string with_student(std::string text, const std::string& name);

// A lab file as one student reads it: with_student(), and every
// `$pick(A|B|C)` replaced by one of A, B, C, chosen from the student's name,
// the lab's id and the options. Each student gets a value of their own that
// a neighbour's does not give away, the same one in every place the file
// names the same options, and the same again at a regrade (the choice is a
// stable hash, as Labtainers seeds a lab from the student's identity).
std::string with_student_values(std::string text, const std::string& student, const std::string& lab_id);

}  // namespace vmctl::teach
