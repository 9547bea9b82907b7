#include "vmctl/core/storage_xml.h"

#include <pugixml.hpp>

#include <sstream>

namespace vmctl {
namespace {

std::string print(const pugi::xml_document& doc) {
    std::ostringstream out;
    doc.save(out, "  ", pugi::format_indent | pugi::format_no_declaration);
    return out.str();
}

}  // namespace

std::string build_dir_pool_xml(const std::string& name, const std::string& directory) {
    pugi::xml_document doc;
    pugi::xml_node pool = doc.append_child("pool");
    pool.append_attribute("type") = "dir";
    pool.append_child("name").text().set(name.c_str());
    pool.append_child("target").append_child("path").text().set(directory.c_str());
    return print(doc);
}

std::string build_qcow2_volume_xml(const std::string& name, std::uint64_t capacity_bytes) {
    pugi::xml_document doc;
    pugi::xml_node volume = doc.append_child("volume");
    volume.append_child("name").text().set(name.c_str());
    pugi::xml_node capacity = volume.append_child("capacity");
    capacity.append_attribute("unit") = "bytes";
    capacity.text().set(static_cast<unsigned long long>(capacity_bytes));
    pugi::xml_node allocation = volume.append_child("allocation");
    allocation.append_attribute("unit") = "bytes";
    allocation.text().set(0);
    volume.append_child("target").append_child("format").append_attribute("type") = "qcow2";
    return print(doc);
}

std::string build_overlay_volume_xml(const std::string& name, std::uint64_t capacity_bytes,
                                     const std::string& backing) {
    pugi::xml_document doc;
    doc.load_string(build_qcow2_volume_xml(name, capacity_bytes).c_str());
    pugi::xml_node store = doc.child("volume").append_child("backingStore");
    store.append_child("path").text().set(backing.c_str());
    store.append_child("format").append_attribute("type") = "qcow2";
    return print(doc);
}

}  // namespace vmctl
