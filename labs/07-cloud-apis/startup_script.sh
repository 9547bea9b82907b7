#!/bin/sh
# startup_script.sh: the guest runs it once it has booted, like the script
# that gcloud's --metadata-from-file startup-script=startup_script.sh hands
# to a Google Compute Engine VM. Every line it prints reaches the VM's serial
# console as "startup: ...".
echo "installing the app on $(hostname): $(nproc) vCPUs, $(free -m | awk '/^Mem:/ {print $2}') MiB"
mkdir -p /data/app
echo "hello from a VM made by an API call" > /data/app/index.html
# The VM's web server serves /www/index.html, in place of its status page.
cp /data/app/index.html /www/index.html
echo "app installed in /data/app, served at http://$(hostname)/"
