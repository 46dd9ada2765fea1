#ifndef ARLENS_CZLIB_SHIM_H
#define ARLENS_CZLIB_SHIM_H
#include <zlib.h>
#endif
