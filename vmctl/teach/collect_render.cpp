#include "vmctl/teach/collect.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>

// The views of a Collection: the terminal's table, JSON, CSV and the HTML
// page. Everything in them that came from a file is made safe for where it
// goes (a terminal, a spreadsheet, a browser).
namespace vmctl::teach {
namespace {

// What comes from a file goes to a terminal without its control characters,
// so a student's text cannot move the cursor or recolour the instructor's screen.
std::string printable(const std::string& text) {
    std::string out = text;
    for (char& c : out)
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f)
            c = '?';
    return out;
}

std::size_t width(const std::string& text) {
    std::size_t n = 0;
    for (const char c : text)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        widths.resize(std::max(widths.size(), row.size()));
        for (std::size_t i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], width(row[i]));
    }
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i)
            line += i + 1 == row.size() ? row[i] : row[i] + std::string(widths[i] - width(row[i]) + 2, ' ');
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out << line << '\n';
    }
}

std::string minutes_text(const std::optional<double>& minutes) {
    return minutes ? fmt::format("{:.0f}m", *minutes) : std::string();
}

std::string cell_text(const StepCell& cell) {
    std::string text;
    switch (cell.state) {
    case StepCell::State::NotStarted: return "-";
    case StepCell::State::InProgress: text = "now"; break;
    case StepCell::State::Done: text = cell.minutes ? minutes_text(cell.minutes) : "done"; break;
    case StepCell::State::SolvedBySolution: text = "SOLVED"; break;
    }
    if (cell.hints > 0)
        text += fmt::format(" h{}", cell.hints);
    if (cell.failed_checks > 0)
        text += fmt::format(" f{}", cell.failed_checks);
    return text;
}

const char* state_class(StepCell::State state) {
    switch (state) {
    case StepCell::State::NotStarted: return "todo";
    case StepCell::State::InProgress: return "now";
    case StepCell::State::Done: return "done";
    case StepCell::State::SolvedBySolution: return "solved";
    }
    return "todo";
}

std::string indented(const std::string& text, const std::string& prefix) {
    std::string out;
    for (const char c : printable(text)) {
        out += c;
        if (c == '\n')
            out += prefix;
    }
    return out;
}

}  // namespace

void write_collection_text(std::ostream& out, const Collection& collection) {
    // A terminal shows only the labs someone began; the rest is one line.
    std::vector<std::string> untouched;
    for (const auto& l : collection.labs) {
        if (std::none_of(collection.students.begin(), collection.students.end(),
                         [&](const StudentRow& s) { return s.labs.count(l.id) != 0; })) {
            untouched.push_back(l.id);
            continue;
        }
        out << fmt::format("{}: {}\n", l.id, printable(l.title));
        std::vector<std::vector<std::string>> rows;
        std::vector<std::string> header{"STUDENT", "EVIDENCE"};
        for (std::size_t i = 0; i < l.steps.size(); ++i)
            header.push_back(std::to_string(i + 1));
        rows.push_back(header);
        for (const auto& s : collection.students) {
            std::vector<std::string> row{printable(s.student), evidence_name(s)};
            for (std::size_t i = 0; i < l.steps.size(); ++i)
                row.push_back(cell_text(step_cell(s, l, i)));
            rows.push_back(row);
        }
        print_table(out, rows);
        out << '\n';
    }
    if (!untouched.empty())
        out << fmt::format("Not started by anyone: {}.\n\n", fmt::join(untouched, ", "));
    out << "Cells: minutes the step took, hN hints, fN failed checks; SOLVED: 'lab solve' did it, not the student;\n"
           "now: the step they are on; -: not started.\n";
    const auto failed = failures(collection);
    if (!failed.empty()) {
        out << "\nFailed checks, with the last reason:\n";
        for (const auto& f : failed) {
            const std::string head = fmt::format("  {} {} step {} ({}{} failed): ", printable(f.student), f.lab,
                                                 f.step, f.current ? "now, " : "", f.failed_checks);
            out << head << indented(f.reason, std::string(head.size(), ' ')) << '\n';
        }
    }
    out << "\nFiles:\n";
    for (const auto& f : collection.files)
        out << fmt::format("  {}  {}: {}\n", printable(f.path), printable(f.student),
                           f.state ? signature_check_text(f.signature) : f.problem);
}

namespace {

nlohmann::json to_json(const Collection& collection) {
    nlohmann::json labs = nlohmann::json::array();
    for (const auto& l : collection.labs)
        labs.push_back({{"id", l.id}, {"title", l.title}, {"steps", l.steps}});
    nlohmann::json students = nlohmann::json::array();
    for (const auto& s : collection.students) {
        nlohmann::json progress = nlohmann::json::array();
        for (const auto& l : collection.labs) {
            nlohmann::json steps = nlohmann::json::array();
            for (std::size_t i = 0; i < l.steps.size(); ++i) {
                const StepCell cell = step_cell(s, l, i);
                steps.push_back({{"step", i + 1},
                                 {"state", step_state_name(cell.state)},
                                 {"minutes", cell.minutes ? nlohmann::json(*cell.minutes) : nlohmann::json()},
                                 {"hints", cell.hints},
                                 {"failed_checks", cell.failed_checks},
                                 {"solved_by_solution", cell.state == StepCell::State::SolvedBySolution},
                                 {"last_failure", cell.last_failure},
                                 {"seen_when_done", cell.seen}});
            }
            progress.push_back({{"id", l.id}, {"steps", steps}});
        }
        students.push_back({{"student", s.student},
                            {"signature", evidence_name(s)},
                            {"files", s.files},
                            {"labs", progress}});
    }
    nlohmann::json failed = nlohmann::json::array();
    for (const auto& f : failures(collection))
        failed.push_back({{"student", f.student},
                          {"lab", f.lab},
                          {"step", f.step},
                          {"current", f.current},
                          {"failed_checks", f.failed_checks},
                          {"reason", f.reason}});
    nlohmann::json files = nlohmann::json::array();
    for (const auto& f : collection.files)
        files.push_back({{"path", f.path},
                         {"student", f.student},
                         {"read", f.state.has_value()},
                         {"problem", f.problem},
                         {"signature", f.state ? nlohmann::json(signature_check_name(f.signature)) : nlohmann::json()}});
    return {{"labs", labs}, {"students", students}, {"failures", failed}, {"files", files}};
}

}  // namespace

void write_collection_json(std::ostream& out, const Collection& collection) {
    out << to_json(collection).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

std::string collection_json_line(const Collection& collection) {
    return to_json(collection).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string csv_field(const std::string& text) {
    std::string value = text;
    if (!value.empty() && std::strchr("=+-@\t\r", value.front()) != nullptr)
        value.insert(0, "'");
    if (value.find_first_of(",\"\n\r") == std::string::npos)
        return value;
    std::string quoted = "\"";
    for (const char c : value)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + '"';
}

void write_collection_csv(std::ostream& out, const Collection& collection) {
    out << "student,lab,step,step_title,state,minutes,hints,failed_checks,solved_by_solution,last_failure,"
           "signature\n";
    for (const auto& s : collection.students)
        for (const auto& l : collection.labs)
            for (std::size_t i = 0; i < l.steps.size(); ++i) {
                const StepCell cell = step_cell(s, l, i);
                out << fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(s.student), csv_field(l.id), i + 1,
                                   csv_field(l.steps[i]), step_state_name(cell.state),
                                   cell.minutes ? fmt::format("{:.1f}", *cell.minutes) : "", cell.hints,
                                   cell.failed_checks,
                                   cell.state == StepCell::State::SolvedBySolution ? "true" : "false",
                                   csv_field(cell.last_failure), evidence_name(s));
            }
}

std::string html_escape(const std::string& text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

void write_collection_html(std::ostream& out, const Collection& collection, const std::string& generated_at) {
    const auto e = [](const std::string& text) { return html_escape(text); };
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           // Nothing but the inline style may load or run, whatever a file holds.
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
           "<title>Lab progress</title>\n<style>\n"
           "body{font-family:sans-serif;margin:1.5em;font-size:16px}\n"
           "table{border-collapse:collapse;margin-bottom:1.5em}\n"
           "th,td{border:1px solid #999;padding:.3em .5em;text-align:left;vertical-align:top}\n"
           "td.done{background:#b7e4b0}td.solved{background:#f6c27a}td.now{background:#a9cdf2}\n"
           "td.todo{background:#eee;color:#888}td.edited,td.unknown-key{background:#f2a3a3;font-weight:bold}\n"
           "td.unsigned,td.unread{background:#f5e79e}small{color:#333}pre{margin:0;white-space:pre-wrap}\n"
           ".legend span{padding:.2em .6em;margin-right:.5em;border:1px solid #999}\n"
           "</style>\n</head>\n<body>\n<h1>Lab progress</h1>\n";
    out << "<p>Collected " << e(generated_at) << " from " << collection.files.size() << " file(s), "
        << collection.students.size() << " student(s).</p>\n"
        << "<p class=\"legend\"><span style=\"background:#b7e4b0\">done (minutes)</span>"
           "<span style=\"background:#f6c27a\">solved by the solution, not the student</span>"
           "<span style=\"background:#a9cdf2\">in progress</span><span style=\"background:#eee\">not started</span>"
           " h: hints taken, f: failed checks</p>\n";
    out << "<table>\n<tr><th rowspan=\"2\">Student</th><th rowspan=\"2\">Evidence</th>";
    for (const auto& l : collection.labs)
        out << "<th colspan=\"" << std::max<std::size_t>(1, l.steps.size()) << "\" title=\"" << e(l.title) << "\">"
            << e(l.id) << "</th>";
    out << "</tr>\n<tr>";
    for (const auto& l : collection.labs) {
        for (std::size_t i = 0; i < l.steps.size(); ++i)
            out << "<th title=\"" << e(l.steps[i]) << "\">" << i + 1 << "</th>";
        if (l.steps.empty())
            out << "<th></th>";
    }
    out << "</tr>\n";
    for (const auto& s : collection.students) {
        out << "<tr><th>" << e(s.student) << "</th><td class=\"" << evidence_name(s) << "\">" << evidence_name(s)
            << "</td>";
        for (const auto& l : collection.labs) {
            for (std::size_t i = 0; i < l.steps.size(); ++i) {
                const StepCell cell = step_cell(s, l, i);
                out << "<td class=\"" << state_class(cell.state) << "\" title=\""
                    << e(fmt::format("{} step {}: {}", l.id, i + 1, step_state_name(cell.state))) << "\">";
                if (cell.state == StepCell::State::SolvedBySolution)
                    out << "solution";
                else if (cell.state == StepCell::State::Done)
                    out << e(cell.minutes ? minutes_text(cell.minutes) : "done");
                else if (cell.state == StepCell::State::InProgress)
                    out << "now";
                if (cell.hints > 0 || cell.failed_checks > 0)
                    out << " <small>" << (cell.hints > 0 ? fmt::format("h{} ", cell.hints) : "")
                        << (cell.failed_checks > 0 ? fmt::format("f{}", cell.failed_checks) : "") << "</small>";
                out << "</td>";
            }
            if (l.steps.empty())
                out << "<td></td>";
        }
        out << "</tr>\n";
    }
    out << "</table>\n<h2>Failed checks</h2>\n";
    const auto failed = failures(collection);
    if (failed.empty()) {
        out << "<p>None.</p>\n";
    } else {
        out << "<table>\n<tr><th>Student</th><th>Lab</th><th>Step</th><th>Failed</th><th>Last reason</th></tr>\n";
        for (const auto& f : failed)
            out << "<tr><td>" << e(f.student) << "</td><td>" << e(f.lab) << "</td><td>" << f.step
                << (f.current ? " (now)" : "") << "</td><td>" << f.failed_checks << "</td><td><pre>" << e(f.reason)
                << "</pre></td></tr>\n";
        out << "</table>\n";
    }
    out << "<h2>Files</h2>\n<table>\n<tr><th>File</th><th>Student</th><th>Evidence</th></tr>\n";
    for (const auto& f : collection.files)
        out << "<tr><td>" << e(f.path) << "</td><td>" << e(f.student) << "</td><td class=\""
            << (f.state ? signature_check_name(f.signature) : "edited") << "\">"
            << e(f.state ? signature_check_text(f.signature) : f.problem) << "</td></tr>\n";
    out << "</table>\n</body>\n</html>\n";
}

}  // namespace vmctl::teach
