// vmctl's state files on a machine a class shares: each user's alone, never
// half written, and nothing planted beside them is followed.

#include "test_env.h"
#include "vmctl/host/files.h"
#include "vmctl/host/hosts_registry.h"
#include "vmctl/host/lab_state.h"
#include "vmctl/host/usage_journal.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace vmctl {
namespace {

using testing::TempHome;

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

    host::LabState state;
    state.active = "01-first-vm";
    host::save_lab_state(host::lab_state_path(paths.data_dir), state);
    EXPECT_EQ(mode_of(host::lab_state_path(paths.data_dir)), 0600u);

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

TEST(StateFiles, AppendsFromManyProcessesAtOnceLoseNothing) {
    TempHome home;
    const std::string path = home.dir() + "/journal.jsonl";
    constexpr int kWriters = 50;
    std::vector<pid_t> children;
    for (int i = 0; i < kWriters; ++i) {
        const pid_t pid = ::fork();
        if (pid == 0) {
            for (int line = 0; line < 20; ++line)
                host::append_to_file(path, std::string(200, static_cast<char>('a' + i % 26)) + "\n");
            ::_exit(0);
        }
        children.push_back(pid);
    }
    for (pid_t pid : children) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        EXPECT_EQ(status, 0);
    }
    std::istringstream lines(host::read_file_or(path, ""));
    int count = 0;
    for (std::string line; std::getline(lines, line); ++count)
        EXPECT_EQ(line, std::string(200, line.front())) << "a line was torn";
    EXPECT_EQ(count, kWriters * 20);
}

}  // namespace
}  // namespace vmctl
