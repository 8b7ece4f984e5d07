// poppler-glib: the PDF reader GlossExtraction takes text, page layout and metadata from.
#include <poppler.h>
