#!/bin/sh
# Default page of the vmctl tiny guest, served by busybox httpd (start-net)
# for "/" while /www/index.html does not exist (a startup script replaces the
# page by writing that file).  Live: computed per request.  The first line of
# the body is for scripts:
#   vm=<name> boot=<boot-id> uptime=<seconds> heartbeat=<seq>   (-1: no beat yet)
read -r name < /proc/sys/kernel/hostname
read -r boot < /proc/sys/kernel/random/boot_id
read -r up rest < /proc/uptime
hb_boot= seq=
[ -r /var/run/vmctl-heartbeat ] && read -r hb_boot seq < /var/run/vmctl-heartbeat
printf 'Content-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\n\r\n'
cat <<HTML
<!DOCTYPE html>
<html><head><title>$name</title></head>
<body>
<p>vm=$name boot=$boot uptime=${up%.*} heartbeat=${seq:--1}</p>
<h1>$name</h1>
<p>vmctl tiny guest <b>$name</b> is up: ${up%.*} s since boot, heartbeat ${seq:-none yet}.</p>
<p>Replace this page by writing /www/index.html in the guest.</p>
</body></html>
HTML
