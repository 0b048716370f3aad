#!/bin/sh
# Regenerates one platform's FFM stubs from the files in headers/<platform>/.
# Usage: headers/regenerate.sh JEXTRACT PLATFORM   (PLATFORM: a folder here, e.g. linux)
# jextract runs inside headers/<platform>/ so that it reads compile_flags.txt there;
# <platform>.jextract holds every other argument. Extra JVM options for jextract
# itself (for example -Dos.name for a cross-platform target) go in
# headers/<platform>/jextract-java-options, if that file exists.
set -eu
jextract=$1
platform=$2
here=$(cd "$(dirname "$0")" && pwd)
package_dir=$here/../bindings/src/main/java/io/github/procgroup/bindings/$platform
rm -rf "$package_dir"
cd "$here/$platform"
if [ -f jextract-java-options ]; then
  JEXTRACT_JAVA_OPTIONS=$(cat jextract-java-options)
  export JEXTRACT_JAVA_OPTIONS
fi
# jextract turns libclang's crash recovery on when os.name is Windows; on Linux its signal
# handlers then fight the JVM's (a SIGSEGV in jextract). This variable keeps it off.
LIBCLANG_DISABLE_CRASH_RECOVERY=1 "$jextract" "@$platform.jextract"
