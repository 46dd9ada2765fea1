#ifndef ARLENS_CPOSTGRES_SHIM_H
#define ARLENS_CPOSTGRES_SHIM_H
#include <libpq-fe.h>
#endif
