#include "vmctl/host/interrupt.h"

#include "vmctl/core/error.h"

#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <pthread.h>
#include <unistd.h>

namespace vmctl::host {
namespace {

std::atomic<bool> g_interrupted{false};
struct sigaction g_saved_int {};
struct sigaction g_saved_term {};

extern "C" void on_signal(int signal) {
    if (g_interrupted.exchange(true)) {
        // The second one: stop now, the way the signal normally does.
        struct sigaction fallback {};
        fallback.sa_handler = SIG_DFL;
        ::sigaction(signal, &fallback, nullptr);
        ::raise(signal);
        return;
    }
    constexpr char kSay[] = "\nvmctl: stopping; undoing what this command made (press Ctrl-C again to quit at once)\n";
    [[maybe_unused]] const auto written = ::write(STDERR_FILENO, kSay, sizeof kSay - 1);
}

}  // namespace

InterruptGuard::InterruptGuard() {
    g_interrupted = false;
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &g_saved_int);
    ::sigaction(SIGTERM, &action, &g_saved_term);
    // A parent may have blocked the signals (a blocked mask is inherited).
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
}

InterruptGuard::~InterruptGuard() {
    ::sigaction(SIGINT, &g_saved_int, nullptr);
    ::sigaction(SIGTERM, &g_saved_term, nullptr);
    g_interrupted = false;  // what it guarded is finished or undone
}

bool interrupted() { return g_interrupted; }

void set_interrupted(bool value) { g_interrupted = value; }

void throw_if_interrupted(std::string_view doing) {
    if (g_interrupted)
        throw Error(ErrorKind::Interrupted, fmt::format("interrupted while {}", doing),
                    "nothing was left half-made; run the command again to go on");
}

}  // namespace vmctl::host
