/*
 * The SQLite cost of Gloss's write path, without Gloss: the statements one recorded highlight
 * runs (change log, entity state, annotation row, two tags, search doc, full-text index), with
 * data of the same shape as gloss-bench's but simpler: quotes of 3-11 and notes of 8-19 words
 * drawn uniformly from 5,000 random words (the bench draws from 20,000 by a Zipf law), tags from
 * 200 (the bench: 40), 1,000 changes a transaction, 100,000 changes.
 * BENCHMARKS.md quotes its figures. It mirrors Schema/Migrations by hand, so it measures the
 * shape of the schema, not the exact file. W1's own floor is now measured by gloss-bench in the
 * same run (Sources/gloss-bench/Baselines/SchemaFloor.swift: the store's real tables and W1's
 * highlights); this program stays for trying a schema change before writing its migration.
 *
 *   cc -O2 -o /tmp/schema-floor scripts/schema-floor.c -lsqlite3
 *   /tmp/schema-floor MASK [PRAGMA] [FTS5-OPTIONS]
 *
 * MASK picks the statements: 1 log, 2 state, 4 annotation row, 8 tags, 16 search doc, 32 FTS
 * (63 is all), and 64 writes the tags as migration v13 does: with the annotation's row, counted
 * per tag in annotation_tag_count, instead of two rows each in `tag` and its index (127 is the
 * store since v13, 63 before); 128 writes the entity's state row without its registers, as a
 * store does for an entity of at most four changes since the seventh session (its state is
 * folded from its log when read: 255 was the store from then to v15). Since v16 an annotation's
 * full-text entry is keyed by its own rowid, with no search doc: 239 is the store now. Example:
 *   /tmp/schema-floor 239 "PRAGMA wal_autocheckpoint=16384" ", content=''"
 * (content='' costs what external content does on insert: FTS5 stores no copy of the text.)
 * The database goes in /tmp/schema-floor-MASK.db.
 */
#include <unistd.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec/1e9;}
static void ex(sqlite3*db,const char*s){char*e=0;if(sqlite3_exec(db,s,0,0,&e)){fprintf(stderr,"%s: %s\n",s,e);exit(1);}}
static sqlite3_stmt* P(sqlite3*db,const char*s){sqlite3_stmt*st;if(sqlite3_prepare_v2(db,s,-1,&st,0)){fprintf(stderr,"%s\n",sqlite3_errmsg(db));exit(1);}return st;}
static void run(sqlite3_stmt*s){int r=sqlite3_step(s); if(r!=SQLITE_DONE){fprintf(stderr,"step %d\n",r);exit(1);} sqlite3_reset(s);}
int main(int argc,char**argv){
  if(argc<2){fprintf(stderr,"usage: schema-floor MASK [PRAGMA] [FTS5-OPTIONS]\n");return 64;}
  int mask=atoi(argv[1]); int N=100000;
  char path[64]; sprintf(path,"/tmp/schema-floor-%d.db",mask); unlink(path);
  char w[80]; sprintf(w,"%s-wal",path); unlink(w);
  sqlite3*db; sqlite3_open(path,&db);
  ex(db,"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;");
  if(argc>2) ex(db,argv[2]);
  const char* ftsopt = argc>3 ? argv[3] : "";
  ex(db,"CREATE TABLE change (seq INTEGER PRIMARY KEY, replica_idx INTEGER NOT NULL, counter INTEGER NOT NULL, hlc INTEGER NOT NULL, entity_type TEXT NOT NULL, entity_id TEXT NOT NULL, ops BLOB NOT NULL, UNIQUE (replica_idx, counter)); CREATE INDEX change_by_entity ON change(entity_id);"
  "CREATE TABLE entity_state (id TEXT PRIMARY KEY NOT NULL, type TEXT NOT NULL, registers BLOB NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE annotation (id TEXT PRIMARY KEY NOT NULL, article_id TEXT NOT NULL, kind TEXT NOT NULL, exact TEXT, prefix TEXT, suffix TEXT, start INTEGER, \"end\" INTEGER, content_hash TEXT, note TEXT, color TEXT, created_at INTEGER NOT NULL, modified_at INTEGER NOT NULL, tags TEXT, noted INTEGER NOT NULL DEFAULT 0); CREATE INDEX annotation_by_article ON annotation(article_id, kind, noted, start);"
  "CREATE TABLE annotation_tag_count (tag TEXT PRIMARY KEY NOT NULL, annotations INTEGER NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE tag (entity_id TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (entity_id, tag)) WITHOUT ROWID; CREATE INDEX tag_by_name ON tag(tag);"
  "CREATE TABLE search_doc (rowid INTEGER PRIMARY KEY, entity_id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, article_id TEXT NOT NULL);"
  "");
  { char b[512]; sprintf(b,"CREATE VIRTUAL TABLE search_index USING fts5(title, body, quote, note, tokenize = 'porter unicode61 remove_diacritics 2'%s)",ftsopt); ex(db,b);} 
  sqlite3_stmt*s1=P(db,"INSERT OR IGNORE INTO change(replica_idx, counter, hlc, entity_type, entity_id, ops) VALUES (?, ?, ?, ?, ?, ?)");
  sqlite3_stmt*s2=P(db,"INSERT OR REPLACE INTO entity_state(id, type, registers) VALUES (?, ?, ?)");
  sqlite3_stmt*s3=P(db,"INSERT OR REPLACE INTO annotation(id, article_id, kind, exact, prefix, suffix, start, \"end\", content_hash, note, color, created_at, modified_at, tags, noted) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)");
  sqlite3_stmt*s4=P(db,"INSERT INTO tag(entity_id, tag) VALUES (?, ?)");
  sqlite3_stmt*s7=P(db,"INSERT INTO annotation_tag_count(tag, annotations) VALUES (?1, 1) ON CONFLICT(tag) DO UPDATE SET annotations = annotations + 1");
  sqlite3_stmt*s5=P(db,"INSERT INTO search_doc(entity_id, kind, article_id) VALUES (?, ?, ?)");
  sqlite3_stmt*s6=P(db,"INSERT INTO search_index(rowid, title, body, quote, note) VALUES (?, ?, ?, ?, ?)");
  static char vocab[5000][12]; srand(6);
  for(int v=0;v<5000;v++){int L=3+rand()%7; for(int k=0;k<L;k++) vocab[v][k]='a'+rand()%26; vocab[v][L]=0;}
  char quote[400], note[400];
  char ops[300]; memset(ops,7,300);
  srand(6);
  double t0=now();
  for(int b=0;b<N/1000;b++){
   ex(db,"BEGIN");
   for(int i=b*1000;i<(b+1)*1000;i++){
    quote[0]=0; note[0]=0; int nq=3+rand()%9, nn=8+rand()%12;
    for(int k=0;k<nq;k++){strcat(quote,vocab[rand()%5000]);strcat(quote," ");}
    for(int k=0;k<nn;k++){strcat(note,vocab[rand()%5000]);strcat(note," ");}
    char id[40]; sprintf(id,"%08x-%04x-7000-8000-%012x",i,rand()&0xffff,rand());
    if(mask&1){sqlite3_bind_int64(s1,1,1);sqlite3_bind_int64(s1,2,i+1);sqlite3_bind_int64(s1,3,(long)i*65536);sqlite3_bind_text(s1,4,"annotation",-1,SQLITE_STATIC);sqlite3_bind_text(s1,5,id,-1,SQLITE_TRANSIENT);sqlite3_bind_blob(s1,6,ops,300,SQLITE_STATIC);run(s1);}
    if(mask&2){sqlite3_bind_text(s2,1,id,-1,SQLITE_TRANSIENT);sqlite3_bind_text(s2,2,"annotation",-1,SQLITE_STATIC);sqlite3_bind_blob(s2,3,ops,(mask&128)?0:300,SQLITE_STATIC);run(s2);}
    char tags[2][16]; for(int k=0;k<2;k++) sprintf(tags[k],"tag%d",k*100+rand()%100);
    char joined[40]; sprintf(joined,"%s\x1f%s",tags[0],tags[1]);
    if(mask&4){sqlite3_bind_text(s3,14,(mask&64)?joined:0,-1,SQLITE_TRANSIENT);sqlite3_bind_text(s3,1,id,-1,SQLITE_TRANSIENT);sqlite3_bind_text(s3,2,"0190aaaa-0000-7000-8000-000000000001",-1,SQLITE_STATIC);sqlite3_bind_text(s3,3,"highlight",-1,SQLITE_STATIC);
      sqlite3_bind_text(s3,4,quote,-1,SQLITE_STATIC);sqlite3_bind_text(s3,5,"prefix text here",-1,SQLITE_STATIC);sqlite3_bind_text(s3,6,"suffix text here",-1,SQLITE_STATIC);sqlite3_bind_int64(s3,7,i);sqlite3_bind_int64(s3,8,i+50);
      sqlite3_bind_text(s3,9,"abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789",-1,SQLITE_STATIC);sqlite3_bind_text(s3,10,note,-1,SQLITE_STATIC);sqlite3_bind_text(s3,11,"yellow",-1,SQLITE_STATIC);sqlite3_bind_int64(s3,12,1700000000000);sqlite3_bind_int64(s3,13,1700000000000);run(s3);}
    if((mask&8)&&!(mask&64)){for(int k=0;k<2;k++){sqlite3_bind_text(s4,1,id,-1,SQLITE_TRANSIENT);sqlite3_bind_text(s4,2,tags[k],-1,SQLITE_TRANSIENT);run(s4);}}
    if((mask&8)&&(mask&64)){for(int k=0;k<2;k++){sqlite3_bind_text(s7,1,tags[k],-1,SQLITE_TRANSIENT);run(s7);}}
    long rowid=i+1;
    if(mask&16){sqlite3_bind_text(s5,1,id,-1,SQLITE_TRANSIENT);sqlite3_bind_text(s5,2,"annotation",-1,SQLITE_STATIC);sqlite3_bind_text(s5,3,"0190aaaa-0000-7000-8000-000000000001",-1,SQLITE_STATIC);run(s5);rowid=sqlite3_last_insert_rowid(db);}
    if(mask&32){sqlite3_bind_int64(s6,1,rowid);sqlite3_bind_null(s6,2);sqlite3_bind_null(s6,3);sqlite3_bind_text(s6,4,quote,-1,SQLITE_STATIC);sqlite3_bind_text(s6,5,note,-1,SQLITE_STATIC);run(s6);}
   }
   ex(db,"COMMIT");
  }
  double t=now()-t0;
  printf("mask %2d: %.2f us/change, %.0f/s\n",mask,t/N*1e6,N/t);
}
