#include "case_router.h"
