// The parts of libxml2 GlossExtraction uses: its HTML parser, the tree it builds, encoding handlers.
//
// Debian's libxml2 is built with ICU, and its encoding.h then includes the system's ICU headers.
// Foundation carries its own ICU (_FoundationICU) with a different `UErrorCode`, and clang refuses
// a module holding both ("'UErrorCode' has different definitions in different modules"), which
// breaks clean builds of any target importing Foundation beside this module. Gloss never touches
// libxml2's ICU converters (only the trailing `uconv_in`/`uconv_out` pointers of an encoding handler
// that Gloss only ever holds by pointer), so the ICU part of the headers is left out.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/encoding.h>
#include <libxml/xmlerror.h>

/// Frees memory libxml2 allocated; `xmlFree` itself is a global variable Swift 6 will not read.
static inline void gloss_xml_free(void *pointer) {
    xmlFree(pointer);
}

static void gloss_xml_ignore_generic(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}

static void gloss_xml_ignore_structured(void *context, xmlErrorPtr error) {
    (void)context;
    (void)error;
}

/// Keeps libxml2 from printing to standard error on this thread: a damaged page is expected
/// input, and what the parser recovers from is not worth a message.
static inline void gloss_xml_silence_errors(void) {
    xmlSetGenericErrorFunc(NULL, gloss_xml_ignore_generic);
    xmlSetStructuredErrorFunc(NULL, gloss_xml_ignore_structured);
}
