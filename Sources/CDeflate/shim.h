#ifndef ARLENS_CDEFLATE_SHIM_H
#define ARLENS_CDEFLATE_SHIM_H
#include <zlib.h>
#endif
