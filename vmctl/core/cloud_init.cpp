#include "vmctl/core/cloud_init.h"

#include "vmctl/core/error.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <sstream>

namespace vmctl {
namespace {

constexpr const char* kRunStartupPath = "/var/lib/cloud/scripts/per-boot/vmctl-startup";

// Runs the startup script once cloud-init's own modules are done, as the tiny
// image's /etc/vmctl/run-startup does: each output line as "startup: ..." on
// the serial console, then its exit code, which is also this script's (so
// cloud-init reports an error when the script fails).
constexpr const char* kRunStartup = R"(#!/bin/sh
rc_file=/run/vmctl-startup.rc
cd /root || cd /
{
	sh /var/lib/vmctl/startup-script </dev/null 2>&1
	echo $? > "$rc_file"
} | while IFS= read -r line || [ -n "$line" ]; do
	echo "startup: $line"
done > /dev/ttyS0
rc=$(cat "$rc_file")
echo "vmctl-guest: startup-script exit=$rc" > /dev/ttyS0
exit "$rc"
)";

// The final message cloud-init prints on the console; $UPTIME is its own.
constexpr const char* kFinalMessage = "vmctl-guest: cloud-init finished after $UPTIME seconds";

std::string emit(const YAML::Emitter& out) { return std::string(out.c_str()) + "\n"; }

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

}  // namespace

CloudInitSeed build_cloud_init_seed(const CloudInitRequest& request) {
    CloudInitSeed seed;
    YAML::Emitter meta;
    meta << YAML::BeginMap;
    meta << YAML::Key << "instance-id" << YAML::Value << request.instance_id;
    meta << YAML::Key << "local-hostname" << YAML::Value << request.vm_name;
    std::istringstream keys(request.ssh_keys);
    std::vector<std::string> key_lines;
    for (std::string line; std::getline(keys, line);)
        if (!line.empty())
            key_lines.push_back(line);
    if (!key_lines.empty())
        meta << YAML::Key << "public-keys" << YAML::Value << key_lines;
    meta << YAML::EndMap;
    seed.meta_data = emit(meta);

    if (!request.user_data.empty()) {
        seed.user_data = request.user_data;
        return seed;
    }
    YAML::Emitter user;
    user << YAML::BeginMap;
    user << YAML::Key << "final_message" << YAML::Value << kFinalMessage;
    if (!request.startup_script.empty()) {
        const auto file = [&user](const char* path, const std::string& content) {
            user << YAML::BeginMap << YAML::Key << "path" << YAML::Value << path;
            user << YAML::Key << "permissions" << YAML::Value << YAML::SingleQuoted << "0755";
            user << YAML::Key << "content" << YAML::Value << YAML::Literal << content << YAML::EndMap;
        };
        user << YAML::Key << "write_files" << YAML::Value << YAML::BeginSeq;
        file("/var/lib/vmctl/startup-script", request.startup_script);
        // cloud-init's scripts-per-boot runs it at every boot, as the tiny
        // image runs its startup script (and a cloud's startup-script runs).
        file(kRunStartupPath, kRunStartup);
        user << YAML::EndSeq;
    }
    user << YAML::EndMap;
    seed.user_data = "#cloud-config\n" + emit(user);
    return seed;
}

void check_user_data(const std::string& text, const std::string& path) {
    for (std::string_view start : {"#cloud-config", "#!", "#include", "#cloud-boothook", "Content-Type:",
                                   "MIME-Version:"})
        if (starts_with(text, start))
            return;
    throw Error(ErrorKind::InvalidArgument,
                fmt::format("'{}' is not cloud-init user-data: its first line must be '#cloud-config' (or '#!' "
                            "for a script)",
                            path),
                "start the file with the line #cloud-config, or pass a shell script with --startup-script");
}

bool is_cloud_init_finished(std::string_view line) {
    // cloud-init prints it through the kernel's console: "[ 67.4] cloud-init[346]: vmctl-guest: ..."
    if (line.find("vmctl-guest: cloud-init finished") != std::string_view::npos)
        return true;
    const auto at = line.find("Cloud-init v. ");
    return at != std::string_view::npos && line.find(" finished at ", at) != std::string_view::npos;
}

CloudInitReport read_cloud_init_report(std::string_view log) {
    CloudInitReport report;
    constexpr std::string_view kExit = "vmctl-guest: startup-script exit=";
    constexpr std::string_view kStatus = "vmctl-guest: cloud-init status=";
    while (!log.empty()) {
        const auto end = log.find('\n');
        std::string_view line = log.substr(0, end);
        log = end == std::string_view::npos ? std::string_view{} : log.substr(end + 1);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
            line.remove_suffix(1);
        if (is_cloud_init_finished(line)) {
            report.finished = true;
        } else if (const auto at = line.find(kStatus); at != std::string_view::npos) {
            report.status = std::string(line.substr(at + kStatus.size()));
        } else if (const auto at = line.find(kExit); at != std::string_view::npos) {
            const std::string_view digits = line.substr(at + kExit.size());
            int code = 0;
            if (std::from_chars(digits.data(), digits.data() + digits.size(), code).ec == std::errc{})
                report.startup_exit = code;
        }
    }
    return report;
}

}  // namespace vmctl
