// The FFmpeg headers Strata uses, plus the few macros Swift cannot import.
#ifndef STRATA_CFFMPEG_SHIM_H
#define STRATA_CFFMPEG_SHIM_H

#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/avutil.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/display.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libavutil/samplefmt.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>

/// `AVERROR(e)`: FFmpeg's negative error code for a POSIX errno value.
static inline int strata_averror(int posix_errno) { return AVERROR(posix_errno); }

/// `AVERROR_EOF`: end of stream.
static inline int strata_averror_eof(void) { return AVERROR_EOF; }

/// `AVERROR(EAGAIN)`: the codec needs more input or output first.
static inline int strata_averror_eagain(void) { return AVERROR(EAGAIN); }

/// `AVERROR_INVALIDDATA`.
static inline int strata_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }

/// `AV_NOPTS_VALUE`: "no timestamp".
static inline int64_t strata_nopts_value(void) { return AV_NOPTS_VALUE; }

/// `AV_TIME_BASE_Q`: the microsecond time base of format-level durations.
static inline AVRational strata_time_base_q(void) { return AV_TIME_BASE_Q; }

/// `AVFMT_FLAG_CUSTOM_IO`.
static inline int strata_avfmt_flag_custom_io(void) { return AVFMT_FLAG_CUSTOM_IO; }

/// `AV_CODEC_FLAG_GLOBAL_HEADER`.
static inline int strata_codec_flag_global_header(void) { return AV_CODEC_FLAG_GLOBAL_HEADER; }

/// `AV_CODEC_FLAG_QSCALE`: encode at the fixed quantiser in the frame's `quality`.
static inline int strata_codec_flag_qscale(void) { return AV_CODEC_FLAG_QSCALE; }

/// `FF_QP2LAMBDA`: one quantiser step in lambda units.
static inline int strata_qp2lambda(void) { return FF_QP2LAMBDA; }

/// `AV_PKT_FLAG_KEY`.
static inline int strata_pkt_flag_key(void) { return AV_PKT_FLAG_KEY; }

/// `AVFMT_NOFILE`: the output format does its own I/O.
static inline int strata_avfmt_nofile(void) { return AVFMT_NOFILE; }

#endif
