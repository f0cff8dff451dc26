// Not embedded: *.cpp files of a page folder are skipped.
