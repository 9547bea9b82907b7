// vmctl dashboard: the model and its JSON (pure), the hub, the server's
// routing, the server itself on loopback, and a host watcher over the fake.

#include "../fakes/fake_hypervisor.h"
#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/ops/dashboard.h"
#include "vmctl/web/dashboard_hub.h"
#include "vmctl/web/dashboard_server.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <optional>
#include <thread>

namespace vmctl {
namespace {

using namespace std::chrono_literals;

DomainSummary summary(const std::string& name, DomainState state, const std::string& mac = "") {
    DomainSummary d;
    d.name = name;
    d.state = state;
    d.vcpus = 1;
    d.memory_bytes = 128ULL << 20;
    d.metadata.mac = mac;
    d.metadata.network = mac.empty() ? "" : "vmctl";
    d.metadata.labels = {{"owner", "alice"}, {"kind", "cattle"}};
    return d;
}

DomainStats stats(const std::string& name, std::uint64_t cpu_ns) {
    DomainStats s;
    s.name = name;
    s.state = DomainState::Running;
    s.vcpus = 2;
    s.cpu_time_ns = cpu_ns;
    s.balloon_bytes = 256ULL << 20;
    s.guest_used_bytes = 100ULL << 20;
    return s;
}

TEST(DashboardModel, CpuFromTwoSamplesAddressByNameSortedByName) {
    const auto vms = ops::dashboard_vms(
        {summary("web", DomainState::Running, "52:54:00:aa:bb:cc"), summary("db", DomainState::ShutOff)},
        {stats("web", 1'000'000'000)}, {stats("web", 1'500'000'000)}, 2.0,
        {{"web", "10.215.0.9"}});
    ASSERT_EQ(vms.size(), 2u);
    EXPECT_EQ(vms[0].name, "db");
    EXPECT_EQ(vms[0].state, DomainState::ShutOff);
    EXPECT_EQ(vms[0].cpu_percent, 0);
    EXPECT_EQ(vms[0].memory_bytes, 128ULL << 20);  // the definition's, when not running
    const auto& web = vms[1];
    EXPECT_EQ(web.name, "web");
    EXPECT_DOUBLE_EQ(web.cpu_percent, 25.0);  // 0.5 s of CPU in 2 s
    EXPECT_EQ(web.vcpus, 2u);
    EXPECT_EQ(web.memory_bytes, 256ULL << 20);  // the balloon now
    EXPECT_EQ(web.used_bytes, 100ULL << 20);
    EXPECT_EQ(web.ip, "10.215.0.9");
    EXPECT_EQ(web.labels.at("owner"), "alice");
}

TEST(DashboardModel, NoCpuFigureWithoutAnEarlierSample) {
    const auto vms = ops::dashboard_vms({summary("web", DomainState::Running)}, {}, {stats("web", 5)}, 1.0, {});
    ASSERT_EQ(vms.size(), 1u);
    EXPECT_EQ(vms[0].cpu_percent, 0);
}

TEST(DashboardModel, HostJsonHasTotalsOfRunningVmsAndKeepsMarkupAsText) {
    ops::DashboardHost host{"local", "qemu:///system", true, {}, {}};
    ops::DashboardVm a{"<img src=x onerror=alert(1)>", DomainState::Running, 2, 512ULL << 20, 100ULL << 20, 12.34, "", {}};
    ops::DashboardVm b{"off", DomainState::ShutOff, 4, 1ULL << 30, std::nullopt, 0, "", {{"group", "web"}}};
    host.vms = {a, b};
    const auto json = nlohmann::json::parse(ops::dashboard_host_json(host));
    EXPECT_EQ(json["name"], "local");
    EXPECT_EQ(json["reachable"], true);
    EXPECT_EQ(json["vms"][0]["name"], "<img src=x onerror=alert(1)>");
    EXPECT_EQ(json["vms"][0]["state"], "running");
    EXPECT_DOUBLE_EQ(json["vms"][0]["cpu_percent"].get<double>(), 12.3);
    EXPECT_TRUE(json["vms"][1]["used_bytes"].is_null());
    EXPECT_EQ(json["vms"][1]["labels"]["group"], "web");
    EXPECT_EQ(json["totals"]["vms"], 2);
    EXPECT_EQ(json["totals"]["running"], 1);
    EXPECT_EQ(json["totals"]["vcpus"], 2);
    EXPECT_EQ(json["totals"]["memory_bytes"], 512ULL << 20);
}

TEST(DashboardModel, AMigrationInFlightShowsItsPassDataLeftAndDirtyRate) {
    ops::DashboardHost host{"host-a", "qemu:///a", true, {}, {}};
    ops::DashboardVm vm{"web", DomainState::Running, 1, 256ULL << 20, std::nullopt, 50, "", {}};
    MigrationJob job;
    job.iteration = 3;
    job.data_total = 300;
    job.data_processed = 250;
    job.data_remaining = 80;
    job.dirty_pages_per_s = 10;
    job.page_size = 4096;
    job.memory_bps = 1000;
    vm.job = job;
    ops::DashboardVm arrived{"db", DomainState::Running, 1, 128ULL << 20, std::nullopt, 0, "", {}};
    arrived.downtime_ms = 42;
    host.vms = {vm, arrived};
    const auto json = nlohmann::json::parse(ops::dashboard_host_json(host));
    const auto& j = json["vms"][0]["job"];
    EXPECT_EQ(j["pass"], 3);
    EXPECT_EQ(j["data_remaining"], 80);
    EXPECT_EQ(j["data_processed"], 250);
    EXPECT_EQ(j["dirty_bytes_per_s"], 40960);
    EXPECT_EQ(j["bytes_per_s"], 1000);
    EXPECT_TRUE(json["vms"][0]["downtime_ms"].is_null());
    EXPECT_TRUE(json["vms"][1]["job"].is_null());
    EXPECT_EQ(json["vms"][1]["downtime_ms"], 42);
}

// A host a drain empties says into which host; a VM that arrived carries
// what pinging it saw.
TEST(DashboardModel, ArrivingDrainingAndProbesAreInTheJson) {
    ops::DashboardHost host{"host-b", "qemu:///b", true, {}, {}, "host-c"};
    ops::DashboardVm arriving{"web", DomainState::Paused, 1, 256ULL << 20, std::nullopt, 0, "", {}};
    ops::DashboardVm arrived{"db", DomainState::Running, 1, 128ULL << 20, std::nullopt, 0, "", {}};
    arrived.downtime_ms = 30;
    arrived.probes_sent = 20;
    arrived.probes_lost = 1;
    host.vms = {arrived, arriving};
    const auto json = nlohmann::json::parse(ops::dashboard_host_json(host));
    EXPECT_EQ(json["draining"], "host-c");
    EXPECT_EQ(json["vms"][0]["probes_sent"], 20);
    EXPECT_EQ(json["vms"][0]["probes_lost"], 1);
    EXPECT_TRUE(json["vms"][0]["job"].is_null());
    EXPECT_TRUE(json["vms"][1]["job"].is_null());
    EXPECT_TRUE(json["vms"][1]["probes_sent"].is_null());
    host.draining_to.clear();
    EXPECT_TRUE(nlohmann::json::parse(ops::dashboard_host_json(host))["draining"].is_null());
}

TEST(DashboardModel, UnreachableHostSaysWhy) {
    const auto json =
        nlohmann::json::parse(ops::dashboard_host_json({"host-a", "qemu+unix:///x", false, "no answer", {}}));
    EXPECT_EQ(json["reachable"], false);
    EXPECT_EQ(json["error"], "no answer");
    EXPECT_TRUE(json["vms"].empty());
}

TEST(DashboardRouting, OnlyThePageItsEventsAndStateExist) {
    using web::Route;
    EXPECT_EQ(web::route_request("GET", "/", ""), Route::Page);
    EXPECT_EQ(web::route_request("GET", "/events", ""), Route::Events);
    EXPECT_EQ(web::route_request("GET", "/state", ""), Route::State);
    EXPECT_EQ(web::route_request("GET", "/../etc/passwd", ""), Route::NotFound);
    EXPECT_EQ(web::route_request("GET", "/index.html", ""), Route::NotFound);
    EXPECT_EQ(web::route_request("POST", "/", ""), Route::MethodNotAllowed);
    EXPECT_EQ(web::route_request("DELETE", "/events", ""), Route::MethodNotAllowed);
}

TEST(DashboardRouting, WithATokenEveryRequestMustCarryIt) {
    using web::Route;
    const std::string token = "0123456789abcdef";
    EXPECT_EQ(web::route_request("GET", "/", token), Route::Forbidden);
    EXPECT_EQ(web::route_request("GET", "/?token=wrong", token), Route::Forbidden);
    EXPECT_EQ(web::route_request("GET", "/?token=0123456789abcde", token), Route::Forbidden);
    EXPECT_EQ(web::route_request("GET", "/?token=0123456789abcdef0", token), Route::Forbidden);
    EXPECT_EQ(web::route_request("GET", "/?xtoken=0123456789abcdef", token), Route::Forbidden);
    EXPECT_EQ(web::route_request("GET", "/?token=0123456789abcdef", token), Route::Page);
    EXPECT_EQ(web::route_request("GET", "/events?a=1&token=0123456789abcdef", token), Route::Events);
    EXPECT_EQ(web::route_request("POST", "/?token=0123456789abcdef", token), Route::MethodNotAllowed);
    EXPECT_EQ(web::route_request("POST", "/", token), Route::Forbidden);  // nothing is told without the token
    EXPECT_EQ(web::random_token().size(), 32u);
    EXPECT_NE(web::random_token(), web::random_token());
}

// The class page has a token of its own: the dashboard's, which a room may
// see projected, does not open it, and its token opens nothing else.
TEST(DashboardRouting, TheClassPageHasItsOwnToken) {
    using web::Route;
    const std::string token = "0123456789abcdef", class_token = "fedcba9876543210";
    EXPECT_EQ(web::route_request("GET", "/class?token=fedcba9876543210", token, class_token), Route::ClassPage);
    EXPECT_EQ(web::route_request("GET", "/class/events?token=fedcba9876543210", token, class_token),
              Route::ClassEvents);
    EXPECT_EQ(web::route_request("GET", "/class?token=0123456789abcdef", token, class_token), Route::Forbidden);
    EXPECT_EQ(web::route_request("GET", "/class", token, class_token), Route::Forbidden);
    EXPECT_EQ(web::route_request("GET", "/?token=fedcba9876543210", token, class_token), Route::Forbidden);
    EXPECT_EQ(web::route_request("GET", "/events?token=fedcba9876543210", token, class_token), Route::Forbidden);
    EXPECT_EQ(web::route_request("POST", "/class?token=fedcba9876543210", token, class_token),
              Route::MethodNotAllowed);
    EXPECT_EQ(web::route_request("GET", "/class/x?token=fedcba9876543210", token, class_token), Route::Forbidden);
    // Without a class page its paths do not exist.
    EXPECT_EQ(web::route_request("GET", "/class?token=0123456789abcdef", token), Route::NotFound);
}

TEST(DashboardHub, AStreamGetsEachHostOnceThenWaits) {
    web::DashboardHub hub;
    hub.publish("local", R"({"name":"local"})");
    hub.publish("host-a", R"({"name":"host-a"})");
    web::DashboardHub::Seen seen;
    EXPECT_EQ(hub.wait_for_changes(seen, 10ms).size(), 2u);
    EXPECT_TRUE(hub.wait_for_changes(seen, 10ms).empty());
    hub.publish("local", R"({"name":"local","x":1})");
    const auto changes = hub.wait_for_changes(seen, 10ms);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0], R"({"name":"local","x":1})");
    EXPECT_EQ(hub.state_json(), R"({"hosts":[{"name":"host-a"},{"name":"local","x":1}]})");
}

TEST(DashboardHub, AHostRemovedIsSentAsGoneAndLeavesTheState) {
    web::DashboardHub hub;
    hub.publish("local", R"({"name":"local"})");
    hub.publish("host-a", R"({"name":"host-a"})");
    web::DashboardHub::Seen seen;
    EXPECT_EQ(hub.wait_for_changes(seen, 10ms).size(), 2u);
    hub.remove("host-a");
    const auto changes = hub.wait_for_changes(seen, 10ms);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0], R"({"gone":true,"name":"host-a"})");
    EXPECT_EQ(hub.state_json(), R"({"hosts":[{"name":"local"}]})");
    hub.publish("host-a", R"({"name":"host-a"})");  // up again
    EXPECT_EQ(hub.state_json(), R"({"hosts":[{"name":"host-a"},{"name":"local"}]})");
}

// A plain HTTP/1.1 client on loopback: sends `request`, reads until the
// server closes or `until` appears.
std::string http_exchange(unsigned short port, const std::string& request, const std::string& until = "") {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return "connect failed";
    }
    [[maybe_unused]] const auto sent = ::write(fd, request.data(), request.size());
    std::string answer;
    char buffer[4096];
    const timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0)
            break;
        answer.append(buffer, static_cast<std::size_t>(n));
        if (!until.empty() && answer.find(until) != std::string::npos)
            break;
    }
    ::close(fd);
    return answer;
}

std::string get(unsigned short port, const std::string& target, const std::string& until = "") {
    return http_exchange(port, "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n", until);
}

class DashboardServerTest : public ::testing::Test {
protected:
    void start(const std::string& token, const std::string& class_token = "") {
        web::ServerOptions options;
        options.port = 0;
        options.token = token;
        options.class_token = class_token;
        server = std::make_unique<web::DashboardServer>(options, hub, "<html>the page</html>",
                                                        web::ClassPage{&class_hub, "<html>the class</html>"});
        thread = std::thread([this] { server->run(); });
    }
    void TearDown() override {
        if (server)
            server->stop();
        if (thread.joinable())
            thread.join();
        server.reset();
    }
    web::DashboardHub hub;
    web::DashboardHub class_hub;
    std::unique_ptr<web::DashboardServer> server;
    std::thread thread;
};

TEST_F(DashboardServerTest, ServesThePageItsStreamAndNothingElse) {
    start("");
    hub.publish("local", R"({"name":"local"})");
    const auto port = server->port();
    const auto page = get(port, "/");
    EXPECT_NE(page.find("HTTP/1.1 200"), std::string::npos) << page;
    EXPECT_NE(page.find("<html>the page</html>"), std::string::npos);
    EXPECT_NE(get(port, "/nothing").find("HTTP/1.1 404"), std::string::npos);
    EXPECT_NE(http_exchange(port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").find("HTTP/1.1 405"),
              std::string::npos);
    EXPECT_NE(get(port, "/state").find(R"({"hosts":[{"name":"local"}]})"), std::string::npos);
    const auto events = get(port, "/events", "\n\n" R"(event: host)" "\n" R"(data: {"name":"local"})" "\n\n");
    EXPECT_NE(events.find("Content-Type: text/event-stream"), std::string::npos) << events;
    EXPECT_NE(events.find("event: host\ndata: {\"name\":\"local\"}\n\n"), std::string::npos) << events;
}

TEST_F(DashboardServerTest, WithATokenRefusesRequestsWithoutIt) {
    start("secret");
    EXPECT_NE(get(server->port(), "/").find("HTTP/1.1 403"), std::string::npos);
    EXPECT_NE(get(server->port(), "/events").find("HTTP/1.1 403"), std::string::npos);
    EXPECT_NE(get(server->port(), "/?token=secret").find("HTTP/1.1 200"), std::string::npos);
}

TEST_F(DashboardServerTest, TheClassPageAndItsStreamNeedTheirOwnToken) {
    start("secret", "classy");
    class_hub.publish("class", R"({"students":[]})");
    const auto port = server->port();
    EXPECT_NE(get(port, "/class?token=classy").find("<html>the class</html>"), std::string::npos);
    EXPECT_NE(get(port, "/class?token=secret").find("HTTP/1.1 403"), std::string::npos);
    EXPECT_NE(get(port, "/?token=classy").find("HTTP/1.1 403"), std::string::npos);
    const auto events = get(port, "/class/events?token=classy", "\n\n" R"(event: class)" "\n" R"(data: {"students":[]})" "\n\n");
    EXPECT_NE(events.find("event: class\ndata: {\"students\":[]}\n\n"), std::string::npos) << events;
}

TEST_F(DashboardServerTest, APortInUseIsItsOwnErrorKind) {
    start("");
    web::ServerOptions options;
    options.port = server->port();
    try {
        web::DashboardServer second(options, hub, "");
        FAIL() << "a second server bound the same port";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::AddressInUse);
        EXPECT_NE(e.line().find("--port"), std::string::npos);
        EXPECT_EQ(exit_code(e.kind()), 17);
    }
    options.address = "not-an-address";
    options.port = 0;
    try {
        web::DashboardServer bad(options, hub, "");
        FAIL() << "accepted a bad --listen";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    }
}

// Collects what a watcher publishes, for a test to wait on.
struct Published {
    std::mutex mutex;
    std::vector<std::string> jsons;
    void add(const std::string& json) {
        const std::lock_guard lock(mutex);
        jsons.push_back(json);
    }
    // The first JSON published that contains `text`, waiting up to 5 s.
    std::optional<std::string> wait_for(const std::string& text) {
        for (int i = 0; i < 500; ++i) {
            {
                const std::lock_guard lock(mutex);
                for (const auto& j : jsons)
                    if (j.find(text) != std::string::npos)
                        return j;
            }
            std::this_thread::sleep_for(10ms);
        }
        return std::nullopt;
    }
};

TEST(DashboardWatcher, PublishesTheHostsVmsAndAHostThatCannotBeReached) {
    testing::FakeHypervisor fake;
    VmSpec spec;
    spec.name = "web";
    spec.vcpus = 1;
    spec.memory_bytes = 64ULL << 20;
    fake.define_domain(build_domain_xml(spec, {"/k", "/i", "", "/d.qcow2", "/web.log"}));
    Published published;
    {
        ops::HostWatcher watcher(
            "local", "fake:///", [&](const std::string&) { return std::make_unique<testing::BorrowedHypervisor>(fake); },
            [&](const std::string& host, const std::string& json) {
                EXPECT_EQ(host, "local");
                published.add(json);
            },
            20ms);
        const auto json = published.wait_for(R"("name":"web")");
        ASSERT_TRUE(json);
        EXPECT_NE(json->find(R"("state":"shut off")"), std::string::npos) << *json;
    }
    Published gone;
    ops::HostWatcher watcher(
        "host-a", "qemu+unix:///gone",
        [](const std::string&) -> std::unique_ptr<Hypervisor> {
            throw Error(ErrorKind::Unreachable, "cannot connect to host-a", "is it up?");
        },
        [&](const std::string&, const std::string& json) { gone.add(json); }, 20ms);
    const auto json = gone.wait_for(R"("reachable":false)");
    ASSERT_TRUE(json);
    EXPECT_NE(json->find("cannot connect to host-a"), std::string::npos);
}

}  // namespace
}  // namespace vmctl
