/*
 * TEST ONLY, never shipped: a bcryptprimitives.dll for Wine 8, which lacks the DLL that
 * Rust's standard library imports ProcessPrng from (Windows 10 and later have it).
 * scripts/smoke_windows.sh builds it with mingw into the Wine prefix's system32, so that
 * netassist.exe starts under Wine; it fills the buffer from BCryptGenRandom, as the real
 * ProcessPrng fills it from the system's generator.
 *
 * x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll processprng_shim.c -lbcrypt
 */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0)
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
