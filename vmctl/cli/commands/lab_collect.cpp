#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/lab_support.h"
#include "vmctl/core/error.h"
#include "vmctl/core/snapshot.h"
#include "vmctl/host/files.h"
#include "vmctl/teach/collect.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <sstream>

namespace vmctl::cli::commands {
namespace {

// Under sudo, only an instructor reads everyone's progress: students may be
// given sudo for vmctl (labs 03 and 06 need root), which must not show
// them their classmates' answers. Root itself, and files handed in, need no
// group.
void require_instructor() {
    host::require_instructor("reading the class's progress",
                             "a student's own progress is ~/.local/share/vmctl/labs/state.json, or 'vmctl lab "
                             "status'");
}

// Refuses an --html FILE that cannot be written before any file is read.
void check_html_target(const std::string& file) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::is_directory(file, ec))
        throw Error(ErrorKind::InvalidArgument, fmt::format("--html {} is a folder", file),
                    fmt::format("name the page to write, e.g. --html {}/progress.html", file));
    const fs::path folder = fs::path(file).parent_path();
    if (!folder.empty() && !fs::is_directory(folder, ec))
        throw Error(ErrorKind::NotFound, fmt::format("the folder of --html {} does not exist", file),
                    fmt::format("make it first (mkdir -p {}) or name a page in a folder that exists", folder.string()));
}

}  // namespace

int lab_collect(Context& context, const Args& args) {
    CommandLine cli("lab collect [--json|--csv] [--html FILE] [FILE...]",
                    "For instructors: every student's lab progress in one table, a row per student and a column\n"
                    "per lab step (minutes taken, hints, failed checks, steps 'lab solve' did), then the failed\n"
                    "checks with their reasons and each progress file with its signature (edited by hand?).\n"
                    "Without FILE: this machine's progress files (as root, every student's); FILE: files or\n"
                    "folders of them (*.json) handed in from other machines. Unreadable files are listed, never\n"
                    "fatal.");
    cli.positional("FILE", -1, "a progress file handed in, or a folder searched for *.json");
    cli.add()("json", "print one JSON document")("csv", "print CSV: a header, then a row per student per step")(
        "html", po::value<std::string>()->value_name("FILE"), "also write a self-contained page to project in class");
    cli.examples("  sudo vmctl lab collect\n  sudo vmctl lab collect --html ~/progress.html\n"
                 "  vmctl lab collect --csv handed-in/ > class.csv\n");
    if (!cli.parse(args, context.out()))
        return 0;
    if (cli.has("json") && cli.has("csv"))
        throw Error(ErrorKind::Usage, "--json and --csv were both given",
                    "give one of them: e.g. 'vmctl lab collect --csv > class.csv'");
    const auto html = cli.get_optional<std::string>("html");
    if (html)
        check_html_target(*html);

    LabSession session(context);
    auto labs = teach::lab_columns(session.labs());
    const auto handed_in = cli.get_optional<std::vector<std::string>>("FILE");
    teach::Collection collection;
    if (handed_in && !handed_in->empty()) {
        std::vector<teach::ProgressFile> files;
        for (const auto& arg : *handed_in)
            for (const auto& path : teach::progress_files_under(arg))
                files.push_back(teach::read_progress_file(path, teach::FileOrigin::HandedIn));
        collection = teach::collect_progress(std::move(labs), std::move(files));
    } else {
        require_instructor();
        collection = teach::collect_this_machine(std::move(labs), session.world().state_path);
    }

    auto& out = context.out();
    if (collection.files.empty()) {
        (cli.has("json") || cli.has("csv") ? context.err() : out)
            << "no progress files found; students' files are ~/.local/share/vmctl/labs/state.json (and "
               "/var/lib/vmctl/labs/students/USER.json for labs run with sudo): run 'sudo vmctl lab collect' "
               "to read everyone's, or give files handed in: 'vmctl lab collect FILE...'\n";
    }
    if (html) {
        std::ostringstream page;
        teach::write_collection_html(page, collection, format_utc(std::time(nullptr)) + " UTC");
        // Under sudo, as the user who ran it: the page is theirs, and sudo
        // writes nowhere they could not.
        host::write_named_file(*html, page.str(), "page");
    }
    if (cli.has("json"))
        teach::write_collection_json(out, collection);
    else if (cli.has("csv"))
        teach::write_collection_csv(out, collection);
    else if (html) {
        const auto unread = std::count_if(collection.files.begin(), collection.files.end(),
                                          [](const teach::ProgressFile& f) { return !f.state; });
        out << fmt::format("wrote {}: {} students from {} files ({} not read)\n", *html, collection.students.size(),
                           collection.files.size(), unread);
    } else if (!collection.files.empty())
        teach::write_collection_text(out, collection);
    return 0;
}

}  // namespace vmctl::cli::commands
