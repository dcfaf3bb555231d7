#pragma once
// Run-time dispatch of hot loops to wider SIMD.
//
// The build targets x86-64-v2 (SSE4.2) so it runs on any x86-64 CPU since
// ~2009. Functions marked HARMONIA_SIMD_CLONES are compiled twice, for
// x86-64-v3 (AVX2, FMA) and for the baseline, and the loader picks the best
// one for the CPU it runs on (GCC target_clones, an ifunc). Not with clang,
// which builds only the sanitizer and fuzzing presets: there the ifunc
// resolver is instrumented and runs before ThreadSanitizer's runtime is set
// up, which crashes the program at load time.

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__) && \
    !defined(HARMONIA_NO_SIMD_CLONES)
#define HARMONIA_SIMD_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define HARMONIA_SIMD_CLONES
#endif
