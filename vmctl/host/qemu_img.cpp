#include "vmctl/host/qemu_img.h"

#include "vmctl/core/error.h"
#include "vmctl/host/shell.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>

#include <sys/wait.h>

namespace vmctl::host {

std::vector<DiskLayer> parse_backing_chain(const std::string& json) {
    const auto doc = nlohmann::json::parse(json, nullptr, false);
    if (doc.is_discarded())
        throw Error(ErrorKind::OperationFailed, "qemu-img printed something that is not JSON", {});
    const auto layers = doc.is_array() ? doc : nlohmann::json::array({doc});
    std::vector<DiskLayer> chain;
    for (const auto& layer : layers) {
        DiskLayer d;
        d.path = layer.value("filename", "");
        d.format = layer.value("format", "");
        d.virtual_bytes = layer.value("virtual-size", std::uint64_t{0});
        d.allocated_bytes = layer.value("actual-size", std::uint64_t{0});
        d.backing = layer.value("full-backing-filename", layer.value("backing-filename", ""));
        for (const auto& snap : layer.value("snapshots", nlohmann::json::array()))
            d.snapshots.push_back({snap.value("name", ""), snap.value("vm-state-size", std::uint64_t{0})});
        chain.push_back(std::move(d));
    }
    return chain;
}

std::vector<DiskLayer> backing_chain(const std::string& path) {
    std::string output;
    if (run_qemu_img(fmt::format("info -U --backing-chain --output=json {}", shell_quote(path)), output) != 0)
        throw Error(ErrorKind::OperationFailed, fmt::format("qemu-img could not read {}: {}", path, output),
                    "check that the file exists and that you may read it (root for qemu:///system)");
    return parse_backing_chain(output);
}

int run_qemu_img(const std::string& arguments, std::string& output) {
    const std::string command = fmt::format("qemu-img {} 2>&1", arguments);
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr)
        throw Error(ErrorKind::OperationFailed, "could not run qemu-img", "install qemu-utils");
    std::array<char, 4096> buffer{};
    for (std::size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0;)
        output.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

}  // namespace vmctl::host
