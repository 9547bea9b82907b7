// vmctl's state files on a machine a class shares: each user's alone, never
// half written, and nothing planted beside them is followed.

#include "../fakes/fake_hypervisor.h"
#include "test_env.h"
#include "vmctl/core/error.h"
#include "vmctl/host/files.h"
#include "vmctl/host/hosts_registry.h"
#include "vmctl/host/images.h"
#include "vmctl/host/migration_journal.h"
#include "vmctl/host/paths.h"
#include "vmctl/teach/lab_state.h"
#include "vmctl/host/usage_journal.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/hosts.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <fstream>
#include <sstream>

namespace vmctl {
namespace {

using testing::TempHome;

// Runs `each(i)` in `n` processes at once and waits for them all.
void in_parallel(int n, const std::function<void(int)>& each) {
    std::vector<pid_t> children;
    for (int i = 0; i < n; ++i) {
        const pid_t pid = ::fork();
        if (pid == 0) {
            try {
                each(i);
            } catch (...) {
                ::_exit(1);
            }
            ::_exit(0);
        }
        children.push_back(pid);
    }
    for (pid_t pid : children) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        EXPECT_EQ(status, 0);
    }
}

unsigned mode_of(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
}

TEST(StateFiles, AreTheUsersAloneEvenWhenAnOlderOneWasReadableByAll) {
    TempHome home;
    const host::Paths paths = host::default_paths();
    host::save_hosts(paths.data_dir, {host::HostEntry{"lab2", "qemu+ssh://lab2/system", false, 0, {}}});
    EXPECT_EQ(mode_of(paths.data_dir + "/hosts.json"), 0600u);

    teach::LabState state;
    state.active = "01-first-vm";
    teach::save_lab_state(teach::lab_state_path(paths.data_dir), state);
    EXPECT_EQ(mode_of(teach::lab_state_path(paths.data_dir)), 0600u);

    const std::string journal = host::usage_journal_path(paths);
    std::ofstream(journal) << "";
    ::chmod(journal.c_str(), 0644);  // as an older vmctl left it
    UsageRecord record;
    record.vm = "web";
    record.event = "create";
    host::append_usage(journal, {record});
    EXPECT_EQ(mode_of(journal), 0600u);

    host::MigrationRecord moved;
    moved.vm = "web";
    host::append_migration_record(paths.data_dir, moved);
    EXPECT_EQ(mode_of(paths.data_dir + "/migrations.jsonl"), 0600u);
}

TEST(StateFiles, ADamagedLabStateIsSetAsideAndStopsNothing) {
    TempHome home;
    const std::string path = home.dir() + "/labs/state.json";
    for (const std::string& damaged : {std::string("{not json"), std::string(R"({"labs": {"01-x": {"step": "two"}}})"),
                                      std::string(R"({"active": 7})"), std::string(R"({"labs": [1]})")}) {
        std::filesystem::create_directories(home.dir() + "/labs");
        std::ofstream(path) << damaged;
        teach::LabState state;
        EXPECT_NO_THROW(state = teach::load_lab_state(path)) << damaged;
        EXPECT_TRUE(state.active.empty());
        EXPECT_TRUE(state.labs.empty());
        EXPECT_FALSE(std::filesystem::exists(path)) << damaged;
        EXPECT_EQ(host::read_file_or(path + ".damaged", ""), damaged);
        std::ofstream(path) << damaged;
        EXPECT_TRUE(teach::active_lab_labels(home.dir()).empty()) << "create goes on without a lab label";
    }
}

TEST(StateFiles, AFilePlantedWhereTheOldTemporaryNameWasIsNotFollowed) {
    TempHome home;
    const std::string victim = home.dir() + "/victim";
    std::ofstream(victim) << "precious";
    const std::string path = home.dir() + "/state.json";
    std::filesystem::create_symlink(victim, path + ".tmp");
    host::write_file_atomically(path, "{}\n");
    EXPECT_EQ(host::read_file_or(victim, ""), "precious");
    EXPECT_EQ(host::read_file_or(path, ""), "{}\n");
    EXPECT_EQ(mode_of(path), 0600u);
    // Nothing is left beside it but the planted link.
    unsigned entries = 0;
    for (const auto& entry : std::filesystem::directory_iterator(home.dir()))
        entries += entry.path().filename().string().rfind("state.json", 0) == 0 ? 1 : 0;
    EXPECT_EQ(entries, 2u);
}

ErrorKind named_file_failure(const std::string& path) {
    return testing::failure_kind([&] { host::read_named_file(path, "startup script"); });
}

// Only a view that is really mounted read-only is used: a plain folder at
// that place (which anyone could have made) or a path outside the shared
// images leaves the path as it is. (The e2e tier checks a real mount.)
TEST(BootFiles, TheReadOnlyViewIsUsedOnlyWhereItIsReadOnly) {
    testing::TempHome home;
    const std::string images = home.dir() + "/images";
    const std::string view = home.dir() + "/view";
    std::filesystem::create_directories(images + "/tiny");
    std::filesystem::create_directories(view + "/tiny");
    std::ofstream(images + "/tiny/vmlinux") << "kernel";
    std::ofstream(view + "/tiny/vmlinux") << "kernel";
    EXPECT_EQ(host::boot_file_path(images + "/tiny/vmlinux", images, view), images + "/tiny/vmlinux");
    EXPECT_EQ(host::boot_file_path("/elsewhere/vmlinux", images, view), "/elsewhere/vmlinux");
    EXPECT_EQ(host::boot_file_path(images + "/tiny/../../x", images, "/proc"), images + "/tiny/../../x");
}

TEST(NamedFiles, OnlyRegularFilesAreReadAndNothingBlocks) {
    TempHome home;
    const std::string file = home.dir() + "/hello.sh";
    std::ofstream(file) << "echo hi\n";
    EXPECT_EQ(host::read_named_file(file, "startup script"), "echo hi\n");
    EXPECT_EQ(named_file_failure(home.dir() + "/nothing.sh"), ErrorKind::NotFound);
    EXPECT_EQ(named_file_failure(home.dir()), ErrorKind::InvalidArgument);
    const std::string fifo = home.dir() + "/fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    EXPECT_EQ(named_file_failure(fifo), ErrorKind::InvalidArgument) << "a FIFO is refused, not waited on";
}

// `sudo vmctl create --startup-script /etc/shadow` copied the file into a
// guest: under sudo, named files are read as the user who ran sudo.
TEST(NamedFiles, UnderSudoAreReadAsTheInvokingUser) {
    ASSERT_EQ(::geteuid(), 0u) << "the test suite runs as root (scripts/test.sh)";
    TempHome home;
    ::chmod(home.dir().c_str(), 0755);
    const std::string secret = home.dir() + "/secret";
    std::ofstream(secret) << "root's only\n";
    ::chmod(secret.c_str(), 0600);
    ::setenv("SUDO_UID", "65534", 1);  // nobody
    ::setenv("SUDO_GID", "65534", 1);
    try {
        host::read_named_file(secret, "startup script");
        ADD_FAILURE() << "root's file was read for nobody";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
        EXPECT_NE(std::string(e.what()).find("Permission denied"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("as nobody"), std::string::npos) << e.what();
    }
    ::chmod(secret.c_str(), 0644);
    EXPECT_EQ(host::read_named_file(secret, "startup script"), "root's only\n");
    ::unsetenv("SUDO_UID");
    ::unsetenv("SUDO_GID");
}

// `sudo vmctl lab collect --html FILE` writes the page as the user behind
// sudo: nowhere they could not write themselves, and the page is theirs.
TEST(NamedFiles, UnderSudoAreWrittenAsTheUser) {
    ASSERT_EQ(::geteuid(), 0u) << "the test suite runs as root (scripts/test.sh)";
    TempHome home;
    const std::string root_only = home.dir() + "/root-only";
    std::filesystem::create_directories(root_only);
    ::chmod(root_only.c_str(), 0700);
    const std::string open = home.dir() + "/open";
    std::filesystem::create_directories(open);
    ::chmod(open.c_str(), 0777);
    ::chmod(home.dir().c_str(), 0755);
    ::setenv("SUDO_UID", "65534", 1);  // nobody
    ::setenv("SUDO_GID", "65534", 1);
    try {
        host::write_named_file(root_only + "/page.html", "<p>x</p>", "page");
        ADD_FAILURE() << "nobody wrote into root's folder";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::OperationFailed);
        EXPECT_NE(std::string(e.what()).find("as nobody"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(std::filesystem::exists(root_only + "/page.html"));
    host::write_named_file(open + "/page.html", "<p>x</p>", "page");
    ::unsetenv("SUDO_UID");
    ::unsetenv("SUDO_GID");
    struct stat st {};
    ASSERT_EQ(::stat((open + "/page.html").c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 65534u);
    EXPECT_EQ(host::read_file_or(open + "/page.html", ""), "<p>x</p>");
}

TEST(StateFiles, AppendsFromManyProcessesAtOnceLoseNothing) {
    TempHome home;
    const std::string path = home.dir() + "/journal.jsonl";
    constexpr int kWriters = 50;
    in_parallel(kWriters, [&](int i) {
        for (int line = 0; line < 20; ++line)
            host::append_to_file(path, std::string(200, static_cast<char>('a' + i % 26)) + "\n");
    });
    std::istringstream lines(host::read_file_or(path, ""));
    int count = 0;
    for (std::string line; std::getline(lines, line); ++count)
        EXPECT_EQ(line, std::string(200, line.front())) << "a line was torn";
    EXPECT_EQ(count, kWriters * 20);
}

TEST(StateFiles, FiftyLabAnswersAtOnceAreAllKept) {
    TempHome home;
    const std::string path = home.dir() + "/labs/state.json";
    in_parallel(50, [&](int i) {
        teach::update_lab_state(path, [&](teach::LabState& s) { s.labs["01-x"].answers["k" + std::to_string(i)] = "v"; });
    });
    EXPECT_EQ(teach::load_lab_state(path).labs["01-x"].answers.size(), 50u);
}

TEST(StateFiles, FiftyHostsAddedAtOnceAreAllKeptAndRemoveForgetsOne) {
    TempHome home;
    const ops::Environment env = home.env();
    in_parallel(50, [&](int i) {
        ops::hosts_add(env, "lab" + std::to_string(i), "qemu+ssh://lab" + std::to_string(i) + "/system");
    });
    EXPECT_EQ(host::load_hosts(env.paths.data_dir).size(), 50u);

    ops::hosts_remove(env, "lab7");
    EXPECT_EQ(host::load_hosts(env.paths.data_dir).size(), 49u);
    EXPECT_EQ(testing::failure_kind([&] { ops::hosts_remove(env, "lab7"); }), ErrorKind::NotFound);
    EXPECT_EQ(testing::failure_kind([&] { ops::hosts_remove(env, "../x"); }), ErrorKind::InvalidArgument);
    host::update_hosts(env.paths.data_dir, [](std::vector<host::HostEntry>& hosts) {
        hosts.push_back({"host-a", "qemu+unix:///system?socket=/x", true, 1, "10.213.0.11"});
    });
    EXPECT_EQ(testing::failure_kind([&] { ops::hosts_remove(env, "host-a"); }), ErrorKind::InvalidState);
    EXPECT_EQ(host::load_hosts(env.paths.data_dir).size(), 50u);
}

// A drain marks its host with the destination and its own process; the mark
// counts only while that process lives, so a killed drain leaves none that
// the dashboard would show for ever.
TEST(Hosts, ADrainMarkCountsOnlyWhileItsProcessLives) {
    TempHome home;
    const ops::Environment env = home.env();
    host::HostEntry a{"host-a", "qemu+unix:///system?socket=/a", true, 1, "10.213.0.11"};
    a.draining_to = "host-b";
    a.draining_pid = static_cast<int>(::getpid());
    host::save_hosts(env.paths.data_dir, {a, host::HostEntry{"host-b", "qemu+unix:///system?socket=/b", true, 2, {}}});
    const auto hosts = host::load_hosts(env.paths.data_dir);
    ASSERT_EQ(hosts.size(), 2u);
    EXPECT_EQ(hosts[0].draining_to, "host-b");
    EXPECT_TRUE(host::draining(hosts[0]));
    EXPECT_FALSE(host::draining(hosts[1]));

    const pid_t child = ::fork();
    if (child == 0)
        ::_exit(0);
    ASSERT_GT(child, 0);
    ::waitpid(child, nullptr, 0);  // a process that was, and is no more
    host::HostEntry stale = hosts[0];
    stale.draining_pid = static_cast<int>(child);
    EXPECT_FALSE(host::draining(stale));
}

// A failed host and one with local disks stay so in the registry, and only
// files inside a host's own disks folder count as its disks.
TEST(Hosts, TheRegistryKeepsAFailedHostAndLocalDisks) {
    TempHome home;
    const ops::Environment env = home.env();
    host::HostEntry own{"alice-host", "qemu+unix:///system?socket=/x", true, 9, "10.213.0.19"};
    own.failed = true;
    own.local_disks = true;
    host::save_hosts(env.paths.data_dir, {own});
    const host::HostEntry back = host::find_host(env.paths.data_dir, "alice-host");
    EXPECT_TRUE(back.failed);
    EXPECT_TRUE(back.local_disks);
    EXPECT_EQ(back.index, 9);

    const std::string dir = host::local_disks_dir(env.paths.data_dir, "alice-host");
    EXPECT_EQ(dir, env.paths.data_dir + "/hosts/alice-host/disks");
    EXPECT_TRUE(host::is_local_disk(env.paths.data_dir, dir + "/web.qcow2"));
    EXPECT_FALSE(host::is_local_disk(env.paths.data_dir, dir + "/"));
    EXPECT_FALSE(host::is_local_disk(env.paths.data_dir, env.paths.data_dir + "/hosts/alice-host/etc/x.qcow2"));
    EXPECT_FALSE(host::is_local_disk(env.paths.data_dir, env.paths.data_dir + "/hosts//disks/x.qcow2"));
    EXPECT_FALSE(host::is_local_disk(env.paths.data_dir, dir + "/../../../pool/x.qcow2"));
    EXPECT_FALSE(host::is_local_disk(env.paths.data_dir, env.paths.pool_dir + "/x.qcow2"));
}

// A student under sudo may pull the plug of their own host, never of one
// that runs a classmate's VM: refused before anything dies.
TEST(Hosts, AStudentCannotFailAHostWithAClassmatesVm) {
    TempHome home;
    const ops::Environment env = home.env();
    host::save_hosts(env.paths.data_dir, {host::HostEntry{"host-a", "fake://a", true, 1, "10.213.0.11"}});
    const ops::Connector connect = [&](const std::string&) -> std::unique_ptr<Hypervisor> {
        auto hv = std::make_unique<testing::FakeHypervisor>();
        ops::CreateOptions bobs;
        bobs.name = "bob-web";
        bobs.labels = {{"student", "bob"}};
        ops::create_vm(*hv, env, bobs, [](std::string_view) {});
        return hv;
    };
    try {
        ops::hosts_fail(env, "host-a", {{"student", "alice"}}, connect, [](std::string_view) {});
        ADD_FAILURE() << "alice failed a host with bob's VM on it";
    } catch (const Error& e) {
        if (host::is_root()) {
            EXPECT_EQ(e.kind(), ErrorKind::InvalidState);
            EXPECT_NE(std::string(e.what()).find("bob-web (student=bob)"), std::string::npos) << e.what();
        } else {
            EXPECT_EQ(e.kind(), ErrorKind::Unsupported) << "only root fails a host at all";
        }
    }
    EXPECT_FALSE(host::find_host(env.paths.data_dir, "host-a").failed);
}

// Every command that looks at all hosts reaches them the same way: the one
// connection already open is not opened twice, and a host that does not
// answer is named and skipped while the others are still asked.
TEST(Hosts, EveryHostIsReachedOnceAndASilentOneIsSkippedWithItsName) {
    TempHome home;
    const ops::Environment env = home.env();
    ops::hosts_add(env, "lab2", "qemu+ssh://lab2/system");
    ops::hosts_add(env, "lab3", "qemu+ssh://lab3/system");
    ops::hosts_add(env, "lab4", "qemu+ssh://lab4/system");
    const auto others = ops::registered_hosts(env, {"qemu+ssh://lab2/system"});
    ASSERT_EQ(others.size(), 2u);
    testing::FakeHypervisor lab4;
    std::vector<std::string> silent;
    const ops::HostList reached = ops::reach_hosts(
        others,
        [&](const host::HostEntry& h) -> Hypervisor& {
            if (h.name == "lab3")
                throw Error(ErrorKind::Unreachable, "no route to lab3");
            return lab4;
        },
        [&](const std::string& name, const Error& e) { silent.push_back(name + ": " + e.what()); });
    ASSERT_EQ(reached.size(), 1u);
    EXPECT_EQ(reached[0].first, "lab4");
    EXPECT_EQ(reached[0].second, &lab4);
    EXPECT_EQ(silent, std::vector<std::string>{"lab3: no route to lab3"});
}

}  // namespace
}  // namespace vmctl
