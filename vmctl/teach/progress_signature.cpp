#include "vmctl/teach/progress_signature.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace vmctl::teach {
namespace {

constexpr std::size_t kKeyBytes = 32;

std::string hex(const unsigned char* data, std::size_t size) {
    std::string out;
    for (std::size_t i = 0; i < size; ++i)
        out += fmt::format("{:02x}", data[i]);
    return out;
}

// The key's bytes, or nothing when the file is missing, unreadable or not a
// key. Root reads students' keys in `lab collect`: a FIFO or a device planted
// as .key must not hang it, so only a regular file of the right size is read.
std::optional<std::string> read_key(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return std::nullopt;
    struct stat st {};
    std::string bytes(kKeyBytes, '\0');
    const bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == static_cast<off_t>(kKeyBytes) &&
                    ::read(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
    ::close(fd);
    if (!ok) {
        spdlog::debug("{} is not a progress signing key ({} bytes, not {})", path, st.st_size, kKeyBytes);
        return std::nullopt;
    }
    return bytes;
}

SigningKey make_key(const char* kind, std::string bytes) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest.data());
    return {fmt::format("{}:{}", kind, hex(digest.data(), 8)), std::move(bytes)};
}

std::string user_key_path(const std::string& state_path) {
    return (std::filesystem::path(state_path).parent_path() / ".key").string();
}

// Makes the per-user key without ever replacing one: written to a private
// temporary file and linked to its name, so two first saves at once agree on
// one key and a reader never sees half of it.
std::optional<std::string> create_user_key(const std::string& path) {
    std::array<unsigned char, kKeyBytes> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        return std::nullopt;
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    std::string temp = path + ".XXXXXX";
    const int fd = ::mkstemp(temp.data());  // mode 0600
    if (fd < 0)
        return std::nullopt;
    const bool written = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) &&
                         ::fsync(fd) == 0;
    ::close(fd);
    const bool linked = written && (::link(temp.c_str(), path.c_str()) == 0 || errno == EEXIST);
    ::unlink(temp.c_str());
    return linked ? read_key(path) : std::nullopt;
}

std::string canonical_rest(const nlohmann::json& doc) {
    nlohmann::json rest = doc;
    rest.erase("signature");
    // Object keys come out sorted and without spaces: the same bytes for the same document.
    return rest.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string hmac_hex(const std::string& key, const std::string& text) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int size = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(text.data()),
         text.size(), mac.data(), &size);
    return hex(mac.data(), size);
}

}  // namespace

const char* signature_check_name(SignatureCheck check) {
    switch (check) {
    case SignatureCheck::Valid: return "signed";
    case SignatureCheck::Unsigned: return "unsigned";
    case SignatureCheck::Edited: return "edited";
    case SignatureCheck::UnknownKey: return "unknown-key";
    }
    return "unsigned";
}

const char* signature_check_text(SignatureCheck check) {
    switch (check) {
    case SignatureCheck::Valid: return "signed by vmctl, unchanged";
    case SignatureCheck::Unsigned: return "unsigned (an older vmctl, or the signature removed)";
    case SignatureCheck::Edited: return "EDITED BY HAND after vmctl signed it";
    case SignatureCheck::UnknownKey: return "signed with a key not on this machine (cannot check here)";
    }
    return "";
}

std::optional<SignatureCheck> signature_check_from_name(const std::string& name) {
    for (const auto check :
         {SignatureCheck::Valid, SignatureCheck::Unsigned, SignatureCheck::Edited, SignatureCheck::UnknownKey})
        if (name == signature_check_name(check))
            return check;
    return std::nullopt;
}

int signature_check_severity(SignatureCheck check) {
    switch (check) {
    case SignatureCheck::Valid: return 0;
    case SignatureCheck::Unsigned: return 1;
    case SignatureCheck::UnknownKey: return 2;
    case SignatureCheck::Edited: return 3;
    }
    return 3;
}

std::string class_key_path() {
    if (const char* path = std::getenv("VMCTL_CLASS_KEY"); path != nullptr && *path != '\0')
        return path;
    return "/var/lib/vmctl/labs/class.key";
}

std::vector<SigningKey> verification_keys(const std::string& state_path) {
    std::vector<SigningKey> keys;
    if (auto bytes = read_key(class_key_path()))
        keys.push_back(make_key("class", std::move(*bytes)));
    if (auto bytes = read_key(user_key_path(state_path)))
        keys.push_back(make_key("user", std::move(*bytes)));
    return keys;
}

std::optional<SigningKey> signing_key(const std::string& state_path) {
    if (auto bytes = read_key(class_key_path()))
        return make_key("class", std::move(*bytes));
    const std::string path = user_key_path(state_path);
    auto bytes = read_key(path);
    if (!bytes && !std::filesystem::exists(path))
        bytes = create_user_key(path);
    if (!bytes) {
        spdlog::warn("cannot read or make the key {}; the lab progress is saved unsigned", path);
        return std::nullopt;
    }
    return make_key("user", std::move(*bytes));
}

void sign_progress(nlohmann::json& doc, const SigningKey& key) {
    doc.erase("signature");
    doc["signature_key"] = key.id;
    doc["signature"] = hmac_hex(key.bytes, canonical_rest(doc));
}

SignatureCheck check_progress_signature(const nlohmann::json& doc, const std::vector<SigningKey>& keys) {
    const auto signature = doc.find("signature");
    if (signature == doc.end() || !signature->is_string())
        return SignatureCheck::Unsigned;
    const auto id = doc.find("signature_key");
    const std::string key_id = id != doc.end() && id->is_string() ? id->get<std::string>() : "";
    const SigningKey* key = nullptr;
    for (const auto& k : keys)
        if (k.id == key_id)
            key = &k;
    if (key == nullptr)
        return SignatureCheck::UnknownKey;
    const std::string expected = hmac_hex(key->bytes, canonical_rest(doc));
    const std::string& found = signature->get_ref<const std::string&>();
    if (found.size() != expected.size() || CRYPTO_memcmp(found.data(), expected.data(), expected.size()) != 0)
        return SignatureCheck::Edited;
    if (const auto earlier = doc.find(kUnprovenField); earlier != doc.end())
        return earlier->is_string() ? signature_check_from_name(earlier->get<std::string>())
                                          .value_or(SignatureCheck::Edited)
                                    : SignatureCheck::Edited;
    return SignatureCheck::Valid;
}

}  // namespace vmctl::teach
