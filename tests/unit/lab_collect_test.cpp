#include "cli_fixture.h"
#include "vmctl/host/files.h"
#include "vmctl/teach/collect.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vmctl {
namespace {

using teach::SignatureCheck;

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

std::vector<teach::LabColumns> two_labs() {
    return {{"01-first", "First", {"Make it", "Start it", "Stop it"}}, {"02-second", "Second", {"Snap", "Revert"}}};
}

// A progress of `step` done steps of lab 01: step 0 took 12 minutes with a
// hint and two failed checks, step 1 was solved by `lab solve`.
teach::LabState progress(std::size_t step) {
    teach::LabState s;
    teach::LabProgress p;
    p.step = step;
    p.history.push_back({0, "2026-11-01T10:00:00Z", "2026-11-01T10:12:00Z", 2, 1, false, "VM 'web' is shut off"});
    if (step > 1)
        p.history.push_back({1, "2026-11-01T10:12:00Z", "2026-11-01T10:13:00Z", 0, 0, true, ""});
    p.failed_checks = 3;
    p.last_failure = "<script>alert('x')</script> & more";
    s.labs["01-first"] = p;
    return s;
}

teach::ProgressFile file(std::string student, teach::LabState state, SignatureCheck signature,
                         std::string path = "f.json") {
    teach::ProgressFile f;
    f.path = std::move(path);
    f.student = std::move(student);
    f.state = std::move(state);
    f.signature = signature;
    return f;
}

TEST(LabCollect, TwoFilesOfOneStudentMergeLabByLabAndTheWorstSignatureShows) {
    teach::LabState sudo_file = progress(1);
    sudo_file.labs["02-second"].step = 1;
    teach::ProgressFile damaged;
    damaged.path = "broken.json";
    damaged.student = "carol";
    damaged.problem = "damaged: not a vmctl progress file";
    const auto c = teach::collect_progress(two_labs(), {file("alice", progress(2), SignatureCheck::Valid, "a.json"),
                                                        file("bob", progress(1), SignatureCheck::Valid, "b.json"),
                                                        file("alice", sudo_file, SignatureCheck::Edited, "s.json"),
                                                        damaged});
    ASSERT_EQ(c.students.size(), 3u);
    const teach::StudentRow& alice = c.students[0];
    EXPECT_EQ(alice.student, "alice");
    EXPECT_EQ(alice.labs.at("01-first").step, 2u) << "the file with more progress in lab 01";
    EXPECT_EQ(alice.labs.at("02-second").step, 1u) << "lab 02 comes from the other file";
    EXPECT_EQ(alice.signature, SignatureCheck::Edited);
    EXPECT_EQ(alice.files.size(), 2u);
    EXPECT_EQ(c.students[1].signature, SignatureCheck::Valid);
    EXPECT_TRUE(c.students[2].labs.empty()) << "a damaged file gives an empty row, not a stop";
    EXPECT_EQ(c.files.size(), 4u);
}

TEST(LabCollect, CellsSayWhatTheStudentDidAndWhatTheSolutionDid) {
    const auto c = teach::collect_progress(two_labs(), {file("alice", progress(2), SignatureCheck::Valid)});
    const auto& alice = c.students.at(0);
    const auto first = teach::step_cell(alice, c.labs[0], 0);
    EXPECT_EQ(first.state, teach::StepCell::State::Done);
    ASSERT_TRUE(first.minutes);
    EXPECT_DOUBLE_EQ(*first.minutes, 12.0);
    EXPECT_EQ(first.hints, 1u);
    EXPECT_EQ(first.failed_checks, 2u);
    EXPECT_EQ(teach::step_cell(alice, c.labs[0], 1).state, teach::StepCell::State::SolvedBySolution);
    const auto now = teach::step_cell(alice, c.labs[0], 2);
    EXPECT_EQ(now.state, teach::StepCell::State::InProgress);
    EXPECT_EQ(now.failed_checks, 3u);
    EXPECT_EQ(teach::step_cell(alice, c.labs[1], 0).state, teach::StepCell::State::NotStarted);
    const auto failed = teach::failures(c);
    ASSERT_EQ(failed.size(), 2u);
    EXPECT_EQ(failed[0].step, 1u);
    EXPECT_FALSE(failed[0].current);
    EXPECT_EQ(failed[0].reason, "VM 'web' is shut off");
    EXPECT_TRUE(failed[1].current);
}

TEST(LabCollect, CsvHasARowPerStudentPerStepAndDefusesWhatAStudentWrote) {
    auto state = progress(2);
    state.labs["01-first"].history[0].last_failure = "=HYPERLINK(\"x\"), line\ntwo";
    const auto c = teach::collect_progress(two_labs(), {file("alice", state, SignatureCheck::Valid),
                                                        file("bob,jr", progress(1), SignatureCheck::Unsigned)});
    std::ostringstream out;
    teach::write_collection_csv(out, c);
    const std::string csv = out.str();
    EXPECT_EQ(csv.substr(0, csv.find('\n')),
              "student,lab,step,step_title,state,minutes,hints,failed_checks,solved_by_solution,last_failure,"
              "signature");
    EXPECT_NE(csv.find("alice,01-first,1,Make it,done,12.0,1,2,false,\"'=HYPERLINK(\"\"x\"\"), line\ntwo\",signed"),
              std::string::npos)
        << csv;
    EXPECT_NE(csv.find("alice,01-first,2,Start it,solved-by-solution,1.0,0,0,true,,signed"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\"bob,jr\",02-second,2,Revert,not-started,,0,0,false,,unsigned"), std::string::npos) << csv;
    EXPECT_EQ(count_of(csv, ",signed\n") + count_of(csv, ",unsigned\n"), 2u * 5u);
    EXPECT_EQ(teach::csv_field("-1+2"), "'-1+2");
    EXPECT_EQ(teach::csv_field("plain"), "plain");
}

TEST(LabCollect, JsonIsOneDocumentWithEveryStepAndEveryFile) {
    teach::ProgressFile unread;
    unread.path = "gone.json";
    unread.student = "gone";
    unread.problem = "cannot be read: No such file or directory";
    const auto c = teach::collect_progress(two_labs(), {file("alice", progress(2), SignatureCheck::Edited), unread});
    std::ostringstream out;
    teach::write_collection_json(out, c);
    const auto doc = nlohmann::json::parse(out.str());
    ASSERT_EQ(doc["students"].size(), 2u);
    const auto& alice = doc["students"][0];
    EXPECT_EQ(alice["signature"], "edited");
    EXPECT_EQ(alice["labs"][0]["steps"][0]["minutes"], 12.0);
    EXPECT_EQ(alice["labs"][0]["steps"][1]["solved_by_solution"], true);
    EXPECT_EQ(alice["labs"][0]["steps"][2]["state"], "in-progress");
    EXPECT_TRUE(alice["labs"][1]["steps"][0]["minutes"].is_null());
    EXPECT_EQ(doc["failures"].size(), 2u);
    EXPECT_EQ(doc["files"][1]["read"], false);
    EXPECT_EQ(doc["files"][1]["problem"], unread.problem);
    EXPECT_TRUE(doc["files"][1]["signature"].is_null());
    EXPECT_EQ(doc["files"][0]["signature"], "edited");
}

TEST(LabCollect, TheHtmlPageIsSelfContainedAndEscapesEverythingFromFiles) {
    auto state = progress(2);
    const auto c = teach::collect_progress(
        two_labs(), {file("<b>mallory</b>", state, SignatureCheck::Valid, "x\"><script>.json")});
    std::ostringstream out;
    teach::write_collection_html(out, c, "2026-12-01 10:00:00 UTC");
    const std::string html = out.str();
    EXPECT_EQ(html.find("<script"), std::string::npos) << html;
    EXPECT_EQ(html.find("<b>mallory"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more"), std::string::npos);
    EXPECT_NE(html.find("&lt;b&gt;mallory&lt;/b&gt;"), std::string::npos);
    for (const char* external : {" src=", "href=", "@import", "url("})
        EXPECT_EQ(html.find(external), std::string::npos) << external;
    EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
    EXPECT_EQ(count_of(html, "class=\"done\""), 1u);
    EXPECT_EQ(count_of(html, "class=\"solved\""), 1u);
    EXPECT_EQ(count_of(html, "class=\"now\""), 1u);
    EXPECT_EQ(count_of(html, "class=\"todo\""), 2u);
}

TEST(LabCollect, TheTerminalTableKeepsControlCharactersOffTheScreen) {
    auto state = progress(1);
    state.labs["01-first"].last_failure = "red \x1b[31m\nsecond line";
    const auto c = teach::collect_progress(two_labs(), {file("alice", state, SignatureCheck::Unsigned)});
    std::ostringstream out;
    teach::write_collection_text(out, c);
    const std::string text = out.str();
    EXPECT_EQ(text.find('\x1b'), std::string::npos);
    EXPECT_NE(text.find("alice    unsigned  12m h1 f2  now f3  -"), std::string::npos) << text;
    EXPECT_NE(text.find("01-first step 2 (now, 3 failed): red ?[31m\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("02-second: Second"), std::string::npos) << "a lab nobody began takes one line";
    EXPECT_NE(text.find("Not started by anyone: 02-second."), std::string::npos) << text;
}

class LabCollectFiles : public ::testing::Test {
protected:
    void SetUp() override { ::setenv("VMCTL_CLASS_KEY", (home.dir() + "/class.key").c_str(), 1); }
    void TearDown() override { ::unsetenv("VMCTL_CLASS_KEY"); }
    testing::TempHome home;
};

TEST_F(LabCollectFiles, TheStudentIsTheFieldElseTheOwnerElseTheFileName) {
    // vmctl writes the student's name in the file; an older file has none.
    const std::string dir = home.dir() + "/in/bob";
    std::filesystem::create_directories(dir);
    ::setenv("VMCTL_STUDENT", "bob-k", 1);
    teach::save_lab_state(home.dir() + "/in/signed.json", progress(1));
    ::unsetenv("VMCTL_STUDENT");
    std::ofstream(dir + "/state.json") << R"({"active": "", "labs": {}})";
    std::ofstream(home.dir() + "/in/carol.json") << R"({"student": "carol-k", "labs": {}})";
    EXPECT_EQ(teach::read_progress_file(home.dir() + "/in/signed.json", teach::FileOrigin::HandedIn).student, "bob-k");
    EXPECT_EQ(teach::read_progress_file(home.dir() + "/in/carol.json", teach::FileOrigin::HandedIn).student,
              "carol-k");
    EXPECT_EQ(teach::read_progress_file(dir + "/state.json", teach::FileOrigin::HandedIn).student, "bob");
    const passwd* me = ::getpwuid(::geteuid());
    ASSERT_NE(me, nullptr);
    EXPECT_EQ(teach::read_progress_file(dir + "/state.json", teach::FileOrigin::ThisMachine).student, me->pw_name);
    const auto read = teach::read_progress_file(home.dir() + "/in/signed.json", teach::FileOrigin::HandedIn);
    EXPECT_EQ(read.signature, SignatureCheck::Valid) << "the key handed in beside it checks it";
    EXPECT_EQ(read.state->labs.at("01-first").history.size(), 1u);
}

TEST_F(LabCollectFiles, DamagedAndMissingFilesAreReportedAndLeftAlone) {
    const std::string damaged = home.dir() + "/in/dave.json";
    std::filesystem::create_directories(home.dir() + "/in/sub");
    std::ofstream(damaged) << "{not json";
    std::ofstream(home.dir() + "/in/sub/erin.json") << R"({"student": "erin", "labs": {"01-first": {"step": 1}}})";
    std::ofstream(home.dir() + "/in/notes.txt") << "not progress";
    const auto paths = teach::progress_files_under(home.dir() + "/in");
    ASSERT_EQ(paths.size(), 2u);
    const auto d = teach::read_progress_file(damaged, teach::FileOrigin::HandedIn);
    EXPECT_FALSE(d.state);
    EXPECT_NE(d.problem.find("damaged"), std::string::npos);
    EXPECT_EQ(host::read_file_or(damaged, ""), "{not json") << "collect never sets a file aside";
    EXPECT_FALSE(std::filesystem::exists(damaged + ".damaged"));
    const auto e = teach::read_progress_file(paths[1], teach::FileOrigin::HandedIn);
    EXPECT_EQ(e.student, "erin");
    EXPECT_EQ(e.signature, SignatureCheck::Unsigned);
    const auto gone = teach::read_progress_file(home.dir() + "/nope.json", teach::FileOrigin::HandedIn);
    EXPECT_NE(gone.problem.find("does not exist"), std::string::npos) << gone.problem;
}

TEST_F(LabCollectFiles, AStudentsLinkOrFifoIsNotFollowedOrWaitedOn) {
    const std::string labs = home.dir() + "/home/mallory/.local/share/vmctl/labs";
    std::filesystem::create_directories(labs);
    teach::save_lab_state(home.dir() + "/victim.json", progress(2));
    std::filesystem::create_symlink(home.dir() + "/victim.json", labs + "/state.json");
    const auto link = teach::read_progress_file(labs + "/state.json", teach::FileOrigin::ThisMachine);
    EXPECT_FALSE(link.state);
    EXPECT_NE(link.problem.find("symbolic link"), std::string::npos) << link.problem;
    std::filesystem::remove(labs + "/state.json");
    ASSERT_EQ(::mkfifo((labs + "/state.json").c_str(), 0600), 0);
    const auto fifo = teach::read_progress_file(labs + "/state.json", teach::FileOrigin::ThisMachine);  // returns
    EXPECT_FALSE(fifo.state);
    EXPECT_NE(fifo.problem.find("not a regular file"), std::string::npos) << fifo.problem;
}

TEST_F(LabCollectFiles, StatusReportsAreReadToo) {
    std::ofstream(home.dir() + "/report.json") << R"({"student": "frank", "machine": "pc7", "labs": [
        {"id": "01-first", "started": true, "steps_done": 2, "failed_checks": 1, "hints_shown": 0,
         "history": [{"step": 0, "started_at": "2026-11-01T10:00:00Z", "finished_at": "2026-11-01T10:05:00Z"}]},
        {"id": "02-second", "started": false}]})";
    const auto f = teach::read_progress_file(home.dir() + "/report.json", teach::FileOrigin::HandedIn);
    ASSERT_TRUE(f.state) << f.problem;
    EXPECT_EQ(f.student, "frank");
    EXPECT_EQ(f.signature, SignatureCheck::Unsigned);
    EXPECT_EQ(f.state->labs.at("01-first").step, 2u);
    EXPECT_EQ(f.state->labs.count("02-second"), 0u);
}

TEST_F(LabCollectFiles, RootReadsEveryHomeAndTheSudoFilesAStudentOnlyTheirOwn) {
    teach::LocalSources s;
    s.own_state = home.dir() + "/students/root.json";  // lab_state_path under sudo
    s.root_state = home.dir() + "/root/state.json";
    s.students_dir = home.dir() + "/students";
    s.homes = {home.dir() + "/home/alice", home.dir() + "/home/bob"};
    s.student = "alice";
    for (const std::string& f : {s.root_state, s.homes[0] + "/.local/share/vmctl/labs/state.json",
                                 s.students_dir + "/alice.json", s.students_dir + "/bob.json"}) {
        std::filesystem::create_directories(std::filesystem::path(f).parent_path());
        std::ofstream(f) << "{}";
    }
    s.root = true;
    EXPECT_EQ(teach::local_progress_files(s).size(), 4u) << "bob's home has no file; root's sudo file is one";
    std::ofstream(s.own_state) << "{}";
    EXPECT_EQ(teach::local_progress_files(s).size(), 5u);
    s.root = false;
    s.own_state = s.homes[0] + "/.local/share/vmctl/labs/state.json";
    const auto mine = teach::local_progress_files(s);
    ASSERT_EQ(mine.size(), 2u);
    EXPECT_EQ(std::count(mine.begin(), mine.end(), s.students_dir + "/bob.json"), 0);
    std::filesystem::remove_all(s.students_dir);
    EXPECT_EQ(teach::local_progress_files(s).size(), 1u) << "no students folder is no error";
}

// The command as an instructor types it, over one lab of two steps.
class LabCollectCli : public testing::CliTest {
protected:
    void SetUp() override {
        labs = home.dir() + "/labs-src";
        std::filesystem::create_directories(labs + "/01-first");
        std::ofstream(labs + "/01-first/lab.yaml")
            << "title: First\nslides: none\nminutes: 5\nsteps:\n"
               "  - title: Make it\n    text: touch a\n    hints: [touch a]\n"
               "    checks:\n      - script: {run: \"test -e a\"}\n    solution: touch a\n"
               "  - title: Make b\n    text: touch b\n    hints: [touch b]\n"
               "    checks:\n      - script: {run: \"test -e b\"}\n    solution: touch b\n";
        ::setenv("VMCTL_LABS", labs.c_str(), 1);
        ::setenv("VMCTL_CLASS_KEY", (home.dir() + "/class.key").c_str(), 1);
        in = home.dir() + "/in";
        std::filesystem::create_directories(in);
    }
    void TearDown() override {
        ::unsetenv("VMCTL_LABS");
        ::unsetenv("VMCTL_CLASS_KEY");
    }
    std::string labs;
    std::string in;
};

TEST_F(LabCollectCli, CollectsFilesHandedInInEveryFormat) {
    ::setenv("VMCTL_STUDENT", "alice", 1);  // whose progress vmctl writes: the file names its student
    teach::save_lab_state(in + "/alice.json", progress(1));
    ::unsetenv("VMCTL_STUDENT");
    std::ofstream(in + "/broken.json") << "[";
    ASSERT_EQ(run({"lab", "collect", in}), 0) << err.str();
    EXPECT_NE(out.str().find("alice    signed    12m h1 f2  now f3"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("broken.json  broken: damaged"), std::string::npos) << out.str();
    ASSERT_EQ(run({"lab", "collect", "--csv", in}), 0) << err.str();
    EXPECT_EQ(count_of(out.str(), "\n"), 1u + 2u * 2u) << out.str();  // header, 2 students x 2 steps
    ASSERT_EQ(run({"lab", "collect", "--json", in}), 0) << err.str();
    EXPECT_EQ(nlohmann::json::parse(out.str())["students"].size(), 2u);
    const std::string page = home.dir() + "/class.html";
    ASSERT_EQ(run({"lab", "collect", "--html", page, in}), 0) << err.str();
    EXPECT_NE(out.str().find("wrote " + page + ": 2 students from 2 files (1 not read)"), std::string::npos)
        << out.str();
    EXPECT_NE(host::read_file_or(page, "").find("&lt;script&gt;"), std::string::npos);
}

TEST_F(LabCollectCli, AHandEditShowsInStatusAndCollect) {
    ASSERT_EQ(run({"lab", "start", "01"}), 0) << err.str();
    const std::string state = home.dir() + "/labs/state.json";
    std::string text = host::read_file_or(state, "");
    const auto at = text.find("\"step\": 0");
    ASSERT_NE(at, std::string::npos) << text;
    text.replace(at, 9, "\"step\": 2");
    std::ofstream(state, std::ios::trunc) << text;
    ASSERT_EQ(run({"lab", "status"}), 0) << err.str();
    EXPECT_NE(out.str().find("EDITED BY HAND"), std::string::npos) << out.str();
    ASSERT_EQ(run({"lab", "collect", "--json"}), 0) << err.str();
    const auto doc = nlohmann::json::parse(out.str());
    const auto mine = std::find_if(doc["files"].begin(), doc["files"].end(),
                                   [&](const nlohmann::json& f) { return f["path"] == state; });
    ASSERT_NE(mine, doc["files"].end()) << out.str();
    EXPECT_EQ((*mine)["signature"], "edited");
}

TEST_F(LabCollectCli, BadInputGetsOneLineAndItsExitCode) {
    EXPECT_EQ(run({"lab", "collect", "--json", "--csv"}), exit_code(ErrorKind::Usage));
    EXPECT_NE(err.str().find("--json and --csv"), std::string::npos) << err.str();
    EXPECT_EQ(run({"lab", "collect", "--colour"}), exit_code(ErrorKind::Usage));
    EXPECT_EQ(run({"lab", "collect", "--html", home.dir() + "/no/such/page.html"}), exit_code(ErrorKind::NotFound));
    EXPECT_NE(err.str().find("mkdir -p"), std::string::npos) << err.str();
    EXPECT_EQ(count_of(err.str(), "\n"), 1u) << err.str();
    EXPECT_EQ(run({"lab", "collect", "--html", home.dir()}), exit_code(ErrorKind::InvalidArgument));
    ASSERT_EQ(run({"lab", "collect", in}), 0) << "an empty hand-in folder is no error";
    EXPECT_NE(out.str().find("no progress files found"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace vmctl
