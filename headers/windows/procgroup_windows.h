/*
 * Everything procgroup binds on Windows (x86_64), read from Debian's mingw-w64 headers.
 * jextract reads this header with a Windows target (compile_flags.txt) under os.name=Windows
 * (jextract-java-options), so that C long is 32 bits as on Win64. The symbols actually
 * generated are listed in windows.jextract.
 */
#define WIN32_LEAN_AND_MEAN 1
#define UNICODE 1
#define _UNICODE 1
#define _WIN32_WINNT 0x0A00
#include <windows.h>
