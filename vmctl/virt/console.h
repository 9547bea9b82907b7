#pragma once

#include <libvirt/libvirt.h>

#include <string>

namespace vmctl::virt {

// Connects in_fd/out_fd to the domain's serial console until `escape` is read
// from in_fd or the console closes. Runs libvirt's default event loop.
void run_console(virConnectPtr conn, virDomainPtr dom, const std::string& name, int in_fd, int out_fd,
                 char escape);

}  // namespace vmctl::virt
