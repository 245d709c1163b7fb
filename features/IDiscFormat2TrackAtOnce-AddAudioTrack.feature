@method:IDiscFormat2TrackAtOnce.AddAudioTrack
Feature: IDiscFormat2TrackAtOnce::AddAudioTrack
  Writes an audio stream (44.1 kHz 16-bit stereo samples: 2352-byte CD-DA sectors) to the media as a
  new track. Call PrepareMedia first; up to 99 tracks fit. A track is at least 4 seconds: shorter data
  is padded with silence. Track-at-once recording puts a two-second gap between tracks. Progress
  comes as Update events; CancelAddTrack from the handler ends the track.

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2TrackAtOnce on that recorder with client name "openimapi conformance"

  Scenario: S_OK — two tracks are written and read back; the disc counts them
    Given the media is prepared
    When I add an audio track of 4 seconds
    And I add an audio track of 5 seconds
    Then numberOfExistingTracks is 2
    When I release the media
    Then the disc holds 2 audio tracks that read back as written

  Scenario: S_OK — a two-second gap (150 sectors) separates successive tracks
    Given the media is prepared
    When I add an audio track of 4 seconds
    And I add an audio track of 4 seconds
    And I release the media
    Then track 2 starts 150 sectors after the end of track 1

  Scenario: S_OK — a track shorter than 4 seconds is padded with silence to 4 seconds (300 sectors)
    Given the media is prepared
    When I call addAudioTrack with a track of 75 sectors
    Then it succeeds
    When I release the media
    Then track 1 is 300 sectors long
    And track 1 reads back as its samples followed by silence

  Scenario: S_OK — Update events name the track and go PREPARING, WRITING, FINISHING
    Given the media is prepared
    When I add an audio track of 4 seconds
    Then the Update events of track 1 went PREPARING, WRITING, FINISHING

  Scenario: E_POINTER (0x80004003) — no stream
    Given the media is prepared
    When I call addAudioTrack with no stream
    Then it fails with E_POINTER (0x80004003)

  Scenario: E_INVALIDARG (0x80070057) — the data is a number, not a stream
    Given the media is prepared
    When I call addAudioTrack with the number 5 as the stream
    Then it fails with E_INVALIDARG (0x80070057)

  Scenario: E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED (0xC0AA0502)
    When I call addAudioTrack with a track of 4 seconds
    Then it fails with E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED (0xC0AA0502)

  Scenario: E_IMAPI_DF2TAO_WRITE_IN_PROGRESS (0xC0AA0500) — a second track from the Update handler
    Given the media is prepared
    When I add an audio track of 10 seconds and call addAudioTrack again from the Update handler
    Then the second call fails with E_IMAPI_DF2TAO_WRITE_IN_PROGRESS (0xC0AA0500)
    And it succeeds

  Scenario: E_IMAPI_DF2TAO_TRACK_LIMIT_REACHED (0xC0AA0508) — the 100th track
    # The 99 tracks are written beforehand with plain MMC commands (one sector each, session left
    # open), as another program would have; then this preparation finds 99 tracks on the disc.
    Given the disc already holds 99 audio tracks in an open session
    And the media is prepared
    Then numberOfExistingTracks is 99
    When I call addAudioTrack with a track of 4 seconds
    Then it fails with E_IMAPI_DF2TAO_TRACK_LIMIT_REACHED (0xC0AA0508)

  Scenario: E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED (0xC0AA050D) — the stream is not whole 2352-byte sectors
    Given the media is prepared
    When I call addAudioTrack with a stream of 1000 bytes
    Then it fails with E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED (0xC0AA050D)

  Scenario: E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE (0xC0AA0509) — the track is longer than the media
    # An 80-minute CD-R; the track is 90 minutes of samples (a sparse file: nothing is read).
    Given the media is prepared
    When I call addAudioTrack with a sparse file of 405000 sectors
    Then it fails with E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE (0xC0AA0509)

  Scenario: E_FAIL (0x80004005) — the source fails while it is being read
    Given the media is prepared
    When I call addAudioTrack with a stream that fails after 1000 sectors
    Then it fails with E_FAIL (0x80004005)

  Scenario: E_IMAPI_REQUEST_CANCELLED (0xC0AA0002) — cancelAddTrack from the Update handler
    Given the media is prepared
    When I add an audio track of 10 seconds and call cancelAddTrack from the Update handler
    Then it fails with E_IMAPI_REQUEST_CANCELLED (0xC0AA0002)

  Scenario: HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006) — the recorder was closed
    Given the media is prepared
    And the recorder is closed
    When I call addAudioTrack with a track of 4 seconds
    Then it fails with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006)

  @fault
  Scenario Outline: <hresult> (<value>) — the drive reports "<condition>" to <command>
    Given the media is prepared
    And the drive will report "<condition>" on the next <command> command
    When I call addAudioTrack with a track of 4 seconds
    Then it fails with <hresult> (<value>)

    Examples:
      | condition               | command                | hresult                                       | value      |
      | hardware error          | WRITE                  | E_FAIL                                        | 0x80004005 |
      | reservation conflict    | WRITE                  | E_IMAPI_RECORDER_LOCKED                       | 0xC0AA0210 |
      | no media                | WRITE                  | E_IMAPI_RECORDER_MEDIA_NO_MEDIA               | 0xC0AA0202 |
      | becoming ready          | WRITE                  | E_IMAPI_RECORDER_MEDIA_BECOMING_READY         | 0xC0AA0205 |
      | format in progress      | WRITE                  | E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS     | 0xC0AA0206 |
      | long write in progress  | WRITE                  | E_IMAPI_RECORDER_MEDIA_BUSY                   | 0xC0AA0207 |
      | upside down             | WRITE                  | E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN            | 0xC0AA0204 |
      | incompatible medium     | WRITE                  | E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE           | 0xC0AA0203 |
      | write protected         | WRITE                  | E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED        | 0xC0AA0209 |
      | speed mismatch          | SET CD SPEED           | E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH         | 0xC0AA020F |
      | no such mode page       | MODE SENSE             | E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE            | 0xC0AA0201 |
      | invalid mode parameters | MODE SELECT            | E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS      | 0xC0AA0208 |
      | loss of streaming       | WRITE                  | E_IMAPI_LOSS_OF_STREAMING                     | 0xC0AA0300 |
      | invalid response        | READ TRACK INFORMATION | E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE | 0xC0AA02FF |
      | device gone             | WRITE                  | HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)       | 0x80070037 |

    @timeout
    Examples:
      | condition               | command                | hresult                                       | value      |
      | command timeout         | WRITE                  | E_IMAPI_RECORDER_COMMAND_TIMEOUT              | 0xC0AA020D |

  @not-reachable
  Scenario Outline: <hresult> (<value>) — cannot happen in this API: <why>
    Then the row <hresult> (<value>) is documented as not reachable from the TypeScript API

    Examples:
      | hresult                                    | value      | why                                                                                                   |
      | E_OUTOFMEMORY                              | 0x8007000E | the track is streamed in fixed-size buffers; an allocation failure in Node ends the process            |
      | E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT | 0xC0AA020E | the DVD structure is read only while identifying DVD media, in prepareMedia (driven there); not on CD |
