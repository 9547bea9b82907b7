#include "test_env.h"
#include "vmctl/host/files.h"
#include "vmctl/teach/lab_state.h"
#include "vmctl/teach/progress_signature.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace vmctl {
namespace {

using teach::SignatureCheck;

// A progress file in a private home, signed with a per-user key unless the
// test plants a class key (VMCTL_CLASS_KEY points into the home, so the
// machine's own class key never takes part).
class ProgressSignatureTest : public ::testing::Test {
protected:
    void SetUp() override {
        class_key = home.dir() + "/class.key";
        ::setenv("VMCTL_CLASS_KEY", class_key.c_str(), 1);
        path = home.dir() + "/labs/state.json";
        teach::update_lab_state(path, [](teach::LabState& s) {
            s.active = "01-first";
            teach::LabProgress p;
            p.step = 1;
            p.history.push_back({0, "2026-11-01T10:00:00Z", "2026-11-01T10:12:00Z", 2, 1, false, "not yet"});
            s.labs["01-first"] = p;
        });
    }
    void TearDown() override { ::unsetenv("VMCTL_CLASS_KEY"); }

    std::string text() const { return host::read_file_or(path, ""); }
    void write(const std::string& t) const { std::ofstream(path, std::ios::trunc) << t; }

    testing::TempHome home;
    std::string class_key;
    std::string path;
};

TEST_F(ProgressSignatureTest, ASavedFileIsSignedWithAPrivateKeyMadeOnFirstSave) {
    const auto doc = nlohmann::json::parse(text());
    ASSERT_TRUE(doc.contains("signature"));
    EXPECT_EQ(doc["signature"].get<std::string>().size(), 64u);  // hex of 32 bytes
    EXPECT_EQ(doc["signature_key"].get<std::string>().rfind("user:", 0), 0u);
    const std::string key = home.dir() + "/labs/.key";
    EXPECT_EQ(std::filesystem::file_size(key), 32u);
    struct stat st {};
    ASSERT_EQ(::stat(key.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    const teach::LabState state = teach::load_lab_state(path);
    EXPECT_EQ(state.signature, SignatureCheck::Valid);
    EXPECT_EQ(state.labs.at("01-first").step, 1u);
}

TEST_F(ProgressSignatureTest, AHandEditIsFoundAndALaterSaveDoesNotWashItClean) {
    std::string t = text();
    const auto at = t.find("\"step\": 1");
    ASSERT_NE(at, std::string::npos) << t;
    t.replace(at, 9, "\"step\": 4");  // a student skips three steps in an editor
    write(t);
    EXPECT_EQ(teach::load_lab_state(path).signature, SignatureCheck::Edited);
    // The next command saves (and signs) the file again: the verdict stays.
    teach::update_lab_state(path, [](teach::LabState& s) { s.labs["01-first"].hints_shown = 1; });
    EXPECT_EQ(nlohmann::json::parse(text())[teach::kUnprovenField], "edited");
    EXPECT_EQ(teach::load_lab_state(path).signature, SignatureCheck::Edited);
    // Removing the mark by hand breaks the signature instead.
    auto doc = nlohmann::json::parse(text());
    doc.erase(teach::kUnprovenField);
    write(doc.dump(2));
    EXPECT_EQ(teach::load_lab_state(path).signature, SignatureCheck::Edited);
}

TEST_F(ProgressSignatureTest, AFileWithoutASignatureLoadsAsBeforeAndStaysMarkedUnsigned) {
    auto doc = nlohmann::json::parse(text());
    doc.erase("signature");
    doc.erase("signature_key");
    write(doc.dump(2));
    teach::LabState state = teach::load_lab_state(path);
    EXPECT_EQ(state.signature, SignatureCheck::Unsigned);
    EXPECT_EQ(state.labs.at("01-first").history.at(0).failed_checks, 2u);
    teach::update_lab_state(path, [](teach::LabState&) {});
    EXPECT_EQ(teach::load_lab_state(path).signature, SignatureCheck::Unsigned) << "stripping it is no way back";
}

TEST_F(ProgressSignatureTest, AKeyThatIsNotHereCannotBeCheckedAndTheClassKeyComesFirst) {
    std::ofstream(class_key, std::ios::binary) << std::string(32, 'k');
    EXPECT_EQ(teach::load_lab_state(path).signature, SignatureCheck::Valid) << "the user key still checks it";
    teach::update_lab_state(path, [](teach::LabState&) {});
    EXPECT_EQ(nlohmann::json::parse(text())["signature_key"].get<std::string>().rfind("class:", 0), 0u);
    EXPECT_EQ(teach::load_lab_state(path).signature, SignatureCheck::Valid);
    std::ofstream(class_key, std::ios::binary | std::ios::trunc) << std::string(32, 'x');  // another class's key
    const auto state = teach::read_lab_state(text(), teach::verification_keys(path));
    ASSERT_TRUE(state);
    EXPECT_EQ(state->signature, SignatureCheck::UnknownKey);
}

TEST_F(ProgressSignatureTest, AFifoPlantedAsTheKeyIsNotWaitedOn) {
    const std::string key = home.dir() + "/labs/.key";
    std::filesystem::remove(key);
    ASSERT_EQ(::mkfifo(key.c_str(), 0600), 0);
    EXPECT_TRUE(teach::verification_keys(path).empty());  // returns at once
    EXPECT_EQ(teach::load_lab_state(path).signature, SignatureCheck::UnknownKey);
}

TEST_F(ProgressSignatureTest, CheckingAlone) {
    const teach::SigningKey key{"user:0011223344556677", std::string(32, 'a')};
    nlohmann::json doc = {{"active", ""}, {"labs", nlohmann::json::object()}};
    EXPECT_EQ(teach::check_progress_signature(doc, {key}), SignatureCheck::Unsigned);
    teach::sign_progress(doc, key);
    EXPECT_EQ(teach::check_progress_signature(doc, {key}), SignatureCheck::Valid);
    EXPECT_EQ(teach::check_progress_signature(doc, {}), SignatureCheck::UnknownKey);
    const teach::SigningKey same_id_other_bytes{key.id, std::string(32, 'b')};
    EXPECT_EQ(teach::check_progress_signature(doc, {same_id_other_bytes}), SignatureCheck::Edited);
    doc["active"] = "01-first";
    EXPECT_EQ(teach::check_progress_signature(doc, {key}), SignatureCheck::Edited);
    doc["signature"] = 7;
    EXPECT_EQ(teach::check_progress_signature(doc, {key}), SignatureCheck::Unsigned);
}

}  // namespace
}  // namespace vmctl
