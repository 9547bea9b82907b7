#include "vmctl/teach/student.h"

#include "vmctl/core/stable_hash.h"
#include "vmctl/host/files.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <vector>

namespace vmctl::teach {
namespace {

constexpr std::size_t kMaxSlug = 20;

}  // namespace

std::string student_slug(std::string_view user) {
    std::string slug;
    for (const char c : user) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) != 0)
            slug += static_cast<char>(std::tolower(u));
        else if (!slug.empty() && slug.back() != '-')
            slug += '-';
    }
    while (!slug.empty() && slug.back() == '-')
        slug.pop_back();
    if (slug.empty() || !(slug.front() >= 'a' && slug.front() <= 'z'))
        slug.insert(0, "u");
    if (slug == user && slug.size() <= kMaxSlug)
        return slug;
    // Changed to fit: two users must not end up with one name ("a_b" and
    // "a-b", or two long names alike in their first characters), or one's
    // reset would remove the other's VMs. A hash of the user name as it was
    // keeps them apart.
    slug.resize(std::min<std::size_t>(slug.size(), kMaxSlug - 6));
    while (slug.back() == '-')
        slug.pop_back();
    return fmt::format("{}-{:05x}", slug, stable_hash(user) & 0xfffff);
}

std::string student_name() {
    if (const char* name = std::getenv("VMCTL_STUDENT"); name != nullptr && *name != '\0')
        return student_slug(name);
    return student_slug(host::invoking_user().name);
}

std::string with_student(std::string text, const std::string& name) {
    for (std::size_t at = 0; (at = text.find(kStudentPlaceholder, at)) != std::string::npos;) {
        const std::size_t end = at + kStudentPlaceholder.size();
        if (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) != 0 || text[end] == '_')) {
            at = end;
            continue;
        }
        text.replace(at, kStudentPlaceholder.size(), name);
        at += name.size();
    }
    return text;
}

std::string with_student_values(std::string text, const std::string& student, const std::string& lab_id) {
    text = with_student(std::move(text), student);
    static constexpr std::string_view kPick = "$pick(";
    for (std::size_t at = 0; (at = text.find(kPick, at)) != std::string::npos;) {
        const std::size_t open = at + kPick.size();
        const std::size_t close = text.find(')', open);
        const std::size_t line_end = text.find('\n', open);
        if (close == std::string::npos || (line_end != std::string::npos && line_end < close)) {
            at = open;
            continue;  // not closed on its line: left as written, and the lab's check will show it
        }
        const std::string options = text.substr(open, close - open);
        std::vector<std::string> choices;
        for (std::size_t from = 0;;) {
            const std::size_t bar = options.find('|', from);
            choices.push_back(options.substr(from, bar == std::string::npos ? std::string::npos : bar - from));
            if (bar == std::string::npos)
                break;
            from = bar + 1;
        }
        const std::string& chosen = choices[stable_hash(student + '/' + lab_id + '/' + options) % choices.size()];
        text.replace(at, close + 1 - at, chosen);
        at += chosen.size();
    }
    return text;
}

}  // namespace vmctl::teach
