#!/bin/sh
# Regenerates one platform's FFM stubs from the files in headers/<platform>/.
# Usage: headers/regenerate.sh JEXTRACT PLATFORM   (PLATFORM: a folder here, e.g. linux,
# linux-aarch64, windows)
# jextract runs inside headers/<platform>/ so that it reads compile_flags.txt there;
# <platform>.jextract holds every other argument. Extra JVM options for jextract
# itself (for example -Dos.name for a cross-platform target) go in
# headers/<platform>/jextract-java-options, if that file exists.
set -eu
jextract=$1
platform=$2
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/$platform"
# The generated package is the one named by --target-package. Only its own files are deleted:
# io.github.procgroup.bindings.linux.aarch64 lives in a subfolder of ...bindings.linux.
package=$(sed -n 's/^--target-package[[:space:]]*//p' "$platform.jextract")
package_dir=$here/../bindings/src/main/java/$(echo "$package" | tr . /)
if [ -d "$package_dir" ]; then
  find "$package_dir" -maxdepth 1 -type f -name '*.java' -exec rm -f {} +
fi
if [ -f jextract-java-options ]; then
  JEXTRACT_JAVA_OPTIONS=$(cat jextract-java-options)
  export JEXTRACT_JAVA_OPTIONS
fi
# jextract turns libclang's crash recovery on when os.name is Windows; on Linux its signal
# handlers then fight the JVM's (a SIGSEGV in jextract). This variable keeps it off.
LIBCLANG_DISABLE_CRASH_RECOVERY=1 "$jextract" "@$platform.jextract"
