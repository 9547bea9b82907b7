#include "vmctl/core/guest_agent.h"

#include "vmctl/core/base64.h"
#include "vmctl/core/error.h"

#include <nlohmann/json.hpp>

namespace vmctl {
namespace {

nlohmann::json parse_return(const std::string& answer) {
    const auto doc = nlohmann::json::parse(answer, nullptr, false);
    if (doc.is_discarded() || !doc.contains("return"))
        throw Error(ErrorKind::OperationFailed, "the guest agent gave an answer vmctl does not understand: " + answer);
    return doc["return"];
}

}  // namespace

std::string guest_exec_request(const std::string& path, const std::vector<std::string>& args) {
    return nlohmann::json{{"execute", "guest-exec"},
                          {"arguments", {{"path", path}, {"arg", args}, {"capture-output", true}}}}
        .dump();
}

long parse_guest_exec_pid(const std::string& answer) {
    const auto ret = parse_return(answer);
    if (!ret.contains("pid"))
        throw Error(ErrorKind::OperationFailed, "the guest agent did not start the command: " + answer);
    return ret["pid"].get<long>();
}

std::string guest_exec_status_request(long pid) {
    return nlohmann::json{{"execute", "guest-exec-status"}, {"arguments", {{"pid", pid}}}}.dump();
}

ExecStatus parse_guest_exec_status(const std::string& answer) {
    const auto ret = parse_return(answer);
    ExecStatus status;
    status.exited = ret.value("exited", false);
    status.exit_code = ret.value("exitcode", 0);
    status.signal = ret.value("signal", 0);
    status.out = base64_decode(ret.value("out-data", "")).value_or("");
    status.err = base64_decode(ret.value("err-data", "")).value_or("");
    status.truncated = ret.value("out-truncated", false) || ret.value("err-truncated", false);
    return status;
}

}  // namespace vmctl
