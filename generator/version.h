/* version.h: phare's version, printed by `phare version`. */
#ifndef PHARE_VERSION_H
#define PHARE_VERSION_H
#define PHARE_VERSION "0.1.0"
#endif
