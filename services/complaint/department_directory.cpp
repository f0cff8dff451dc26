#include "department_directory.h"
