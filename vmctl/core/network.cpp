#include "vmctl/core/network.h"

#include "vmctl/core/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

namespace vmctl {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// FNV-1a, 64 bits: stable across builds and machines, unlike std::hash.
std::uint64_t fnv1a(std::string_view text) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 1099511628211ULL;
    }
    return hash;
}

bool is_dotted_quad(std::string_view ip) {
    int parts = 0;
    while (!ip.empty()) {
        const auto dot = ip.find('.');
        const std::string_view part = ip.substr(0, dot);
        unsigned value = 256;
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
        if (ec != std::errc() || end != part.data() + part.size() || part.empty() || value > 255)
            return false;
        ++parts;
        if (dot == std::string_view::npos)
            break;
        ip.remove_prefix(dot + 1);
    }
    return parts == 4;
}

}  // namespace

NetworkRequest parse_network_request(std::string_view text) {
    if (text.empty())
        return {};
    if (text == "none")
        return {NetworkRequest::Kind::None, ""};
    const bool valid = text.size() <= 64 && std::all_of(text.begin(), text.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '_' || c == '.';
    });
    if (!valid)
        throw Error(ErrorKind::InvalidArgument, fmt::format("'{}' is not a network name", text),
                    "give a network from 'virsh net-list', e.g. --network vmctl, or --network none");
    return {NetworkRequest::Kind::Named, std::string(text)};
}

std::string derive_mac(std::string_view vm_name, unsigned attempt) {
    const std::uint64_t hash = fnv1a(attempt == 0 ? std::string(vm_name) : fmt::format("{}#{}", vm_name, attempt));
    return fmt::format("52:54:00:{:02x}:{:02x}:{:02x}", (hash >> 16) & 0xff, (hash >> 8) & 0xff, hash & 0xff);
}

std::string unused_mac(std::string_view vm_name, const std::set<std::string>& taken) {
    for (unsigned attempt = 0;; ++attempt) {
        std::string mac = derive_mac(vm_name, attempt);
        if (taken.count(mac) == 0)
            return mac;
    }
}

std::optional<AddressLine> parse_address_line(std::string_view line) {
    const auto at = line.find(kAddressPrefix);
    if (at == std::string_view::npos)
        return std::nullopt;
    std::string_view rest = line.substr(at + std::string_view(kAddressPrefix).size());
    while (!rest.empty() && (rest.back() == '\r' || rest.back() == '\n' || rest.back() == ' '))
        rest.remove_suffix(1);
    const auto space = rest.find(' ');
    if (space == std::string_view::npos || space == 0)
        return std::nullopt;
    AddressLine address;
    address.interface = std::string(rest.substr(0, space));
    const std::string_view cidr = rest.substr(space + 1);
    const auto slash = cidr.find('/');
    address.ip = std::string(cidr.substr(0, slash));
    if (!is_dotted_quad(address.ip))
        return std::nullopt;
    if (slash != std::string_view::npos) {
        const std::string_view prefix = cidr.substr(slash + 1);
        const auto [end, ec] = std::from_chars(prefix.data(), prefix.data() + prefix.size(), address.prefix);
        if (ec != std::errc() || end != prefix.data() + prefix.size() || address.prefix > 32)
            return std::nullopt;
    }
    return address;
}

std::optional<DhcpLease> lease_for(const std::vector<DhcpLease>& leases, std::string_view mac) {
    const std::string wanted = lower(mac);
    for (const DhcpLease& lease : leases)
        if (lower(lease.mac) == wanted)
            return lease;
    return std::nullopt;
}

}  // namespace vmctl
