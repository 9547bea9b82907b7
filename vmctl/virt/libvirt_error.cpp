#include "vmctl/virt/libvirt_error.h"

#include "vmctl/virt/handles.h"

#include <libvirt/virterror.h>

#include <cstdlib>
#include <fmt/format.h>

namespace vmctl::virt {
namespace {

ErrorKind kind_for(int code) {
    switch (code) {
    case VIR_ERR_NO_DOMAIN:
    case VIR_ERR_NO_STORAGE_POOL:
    case VIR_ERR_NO_STORAGE_VOL:
    case VIR_ERR_NO_DOMAIN_SNAPSHOT:
    case VIR_ERR_NO_NETWORK:
        return ErrorKind::NotFound;
    case VIR_ERR_OPERATION_INVALID:
        return ErrorKind::InvalidState;
    case VIR_ERR_NO_SUPPORT:
    case VIR_ERR_OPERATION_UNSUPPORTED:
    case VIR_ERR_CONFIG_UNSUPPORTED:
        return ErrorKind::Unsupported;
    case VIR_ERR_NO_CONNECT:
    case VIR_ERR_RPC:
        return ErrorKind::Unreachable;
    case VIR_ERR_OPERATION_TIMEOUT:
    case VIR_ERR_AGENT_UNRESPONSIVE:
        return ErrorKind::Timeout;
    case VIR_ERR_XML_ERROR:
    case VIR_ERR_XML_DETAIL:
    case VIR_ERR_INVALID_ARG:
        return ErrorKind::InvalidArgument;
    case VIR_ERR_DOM_EXIST:
    case VIR_ERR_STORAGE_VOL_EXIST:
        return ErrorKind::AlreadyExists;
    default:
        return ErrorKind::OperationFailed;
    }
}

void ignore_error(void*, virErrorPtr) {}

}  // namespace

std::string take_string(char* owned) {
    if (owned == nullptr)
        return {};
    std::string copy(owned);
    std::free(owned);
    return copy;
}

Error last_error(const std::string& what, const std::string& hint) {
    const virError* err = virGetLastError();
    const int code = err != nullptr ? err->code : VIR_ERR_INTERNAL_ERROR;
    std::string message = err != nullptr && err->message != nullptr ? err->message : "unknown libvirt error";
    return Error(kind_for(code), fmt::format("could not {}: {}", what, message), hint, code);
}

void silence_default_error_printer() { virSetErrorFunc(nullptr, ignore_error); }

}  // namespace vmctl::virt
