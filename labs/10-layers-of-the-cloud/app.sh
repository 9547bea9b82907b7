#!/bin/sh
# app.sh: the app, installed by hand on a rented VM (IaaS). The guest runs it
# once it has booted, as a cloud VM runs its startup script; every line it
# prints reaches the VM's serial console as "startup: ...".
echo "installing on $(hostname): the OS is yours, $(uname -sr)"
# The runtime: the web server the app needs. On this image it is busybox
# httpd, already running; on a real server you would install and patch it.
echo "the runtime: busybox httpd, serving /www"
# The app: one page.
mkdir -p /data/app
echo "hello from the app, on a VM you rent (IaaS): $(hostname)" > /data/app/index.html
cp /data/app/index.html /www/index.html
echo "app installed in /data/app, served at http://$(hostname)/"
