#include "vmctl/ops/rollback.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace vmctl::ops {

void Rollback::add(std::string what, std::function<void()> undo) {
    m_steps.emplace_back(std::move(what), std::move(undo));
}

Rollback::~Rollback() {
    for (auto it = m_steps.rbegin(); it != m_steps.rend(); ++it) {
        try {
            spdlog::debug("undo: {}", it->first);
            it->second();
        } catch (const std::exception& e) {
            // Every kind is expected here: this runs in a destructor, during
            // another error, and must not throw; the other undo steps still run,
            // and what was left behind is named.
            spdlog::warn("could not {} while cleaning up: {}", it->first, e.what());
        }
    }
}

}  // namespace vmctl::ops
