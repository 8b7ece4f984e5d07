// The parts of libxml2 GlossExtraction uses: its HTML parser, the tree it builds, encoding handlers.
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
