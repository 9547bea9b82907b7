#pragma once

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <vector>

// Tamper evidence for a student's progress file: save_lab_state signs it with
// HMAC-SHA256 over the canonical dump of the rest of the document, and
// load_lab_state and `lab collect` check the signature. It catches a hand
// edit; it does not stop a student who reads this code and their own key
// (README, "Progress and its evidence").
namespace vmctl::teach {

// What a progress file's signature says about it.
enum class SignatureCheck {
    Valid,       // signed by vmctl and unchanged since (also a new, empty progress)
    Unsigned,    // no signature: an older vmctl wrote it, or someone removed it
    Edited,      // changed after vmctl signed it
    UnknownKey,  // signed with a key this machine does not have (a file from elsewhere)
};

// "signed", "unsigned", "edited", "unknown-key": stable, for JSON and CSV.
const char* signature_check_name(SignatureCheck check);
// In words, for a person: "edited by hand", ...
const char* signature_check_text(SignatureCheck check);
// The inverse of signature_check_name; nothing for another text.
std::optional<SignatureCheck> signature_check_from_name(const std::string& name);
// Orders verdicts from the best (Valid) to the worst (Edited), for a student with several files.
int signature_check_severity(SignatureCheck check);

// A key that signs progress files. `id` names it without giving it away
// ("class:" or "user:" and 16 hex digits of its SHA-256).
struct SigningKey {
    std::string id;
    std::string bytes;
};

// VMCTL_CLASS_KEY, else /var/lib/vmctl/labs/class.key: the class's key, set
// up by an instructor; vmctl never creates it.
std::string class_key_path();

// The keys that may have signed the progress file at `state_path`: the class
// key and the per-user key beside the file (`<folder>/.key`), those readable.
std::vector<SigningKey> verification_keys(const std::string& state_path);

// The key a save signs with: the class key when readable, else the per-user
// key `<folder of state_path>/.key`, made on first use (32 random bytes, mode
// 0600). Nothing when neither can be had (the file is then saved unsigned).
std::optional<SigningKey> signing_key(const std::string& state_path);

// Adds "signature_key" (the key's id) and "signature" (HMAC-SHA256 in hex of
// the canonical dump of everything else) to `doc`, replacing old ones.
void sign_progress(nlohmann::json& doc, const SigningKey& key);

// What `doc`'s signature says, checked with `keys`. A valid signature over a
// document that carries an earlier verdict ("unproven", written when a file
// found edited or unsigned was saved again) gives that earlier verdict, so a
// later save does not wash a hand edit clean.
SignatureCheck check_progress_signature(const nlohmann::json& doc, const std::vector<SigningKey>& keys);

// The field that carries an earlier verdict across saves.
inline constexpr const char* kUnprovenField = "unproven";

}  // namespace vmctl::teach
