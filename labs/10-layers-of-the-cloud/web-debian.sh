#!/bin/sh
# web-debian.sh: the same app on a rented server with a real OS (Debian 12).
# cloud-init runs it at every boot; every line it prints reaches the
# VM's serial console as "startup: ...".
echo "installing on $(hostname): $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r)"
# The runtime. On a server with the internet you would install one with the
# package manager, and keep it patched:
#     apt-get update && apt-get install -y nginx-light
# This classroom may be offline, so the app uses the web server that comes
# with Python, which this image has already (cloud-init is written in Python).
mkdir -p /srv/app
echo "hello from the app, on a Debian server you rent (IaaS): $(hostname)" > /srv/app/index.html
cd /srv/app && nohup python3 -m http.server 80 >/dev/null 2>&1 &
echo "app installed in /srv/app, served by python3 at http://$(hostname)/"
