@method:IDiscFormat2TrackAtOnce.PrepareMedia
Feature: IDiscFormat2TrackAtOnce::PrepareMedia
  Locks the current media for exclusive access. The client name must be set before, and PrepareMedia
  must precede AddAudioTrack; ReleaseMedia releases the lock. MCN and DoNotFinalizeMedia become
  read-only until the session is closed.

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2TrackAtOnce on that recorder with client name "openimapi conformance"

  Scenario: S_OK — prepare locks the media; two audio tracks burn; release closes the session
    When I prepare the media
    Then it succeeds
    And the tray is locked
    And another client acquiring exclusive access fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)
    When I add an audio track of 4 seconds
    And I add an audio track of 3 seconds
    And I release the media
    Then the disc holds 2 audio tracks that read back as written
    And the tray is unlocked
    And another client can acquire exclusive access

  Scenario: PrepareMedia must come before AddAudioTrack: a track added to unprepared media is refused
    When I call addAudioTrack with a track of 4 seconds
    Then it fails with E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED (0xC0AA0502)
    When I prepare the media
    And I call addAudioTrack with a track of 4 seconds
    Then it succeeds

  Scenario: E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED (0xC0AA050A)
    Given a DiscFormat2TrackAtOnce with no recorder
    When I prepare the media
    Then it fails with E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED (0xC0AA050A)

  Scenario: E_IMAPI_DF2TAO_MEDIA_IS_PREPARED (0xC0AA0503) — prepared twice
    Given the media is prepared
    When I prepare the media
    Then it fails with E_IMAPI_DF2TAO_MEDIA_IS_PREPARED (0xC0AA0503)

  Scenario: E_INVALIDARG (0x80070057) — the recorder was never initialized
    Given a DiscFormat2TrackAtOnce on an uninitialized recorder with client name "openimapi conformance"
    When I prepare the media
    Then it fails with E_INVALIDARG (0x80070057)

  Scenario: E_POINTER (0x80004003) — the recorder property holds something that is not a recorder
    Given a DiscFormat2TrackAtOnce whose recorder is not a recorder
    When I prepare the media
    Then it fails with E_POINTER (0x80004003)

  Scenario: E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID (0xC0AA050F) — no client name
    Given a DiscFormat2TrackAtOnce on that recorder with client name ""
    When I prepare the media
    Then it fails with E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID (0xC0AA050F)

  Scenario: E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID (0xC0AA050F) — a client name with control characters
    Given a DiscFormat2TrackAtOnce on that recorder with client name "bad\u0007name"
    When I prepare the media
    Then it fails with E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID (0xC0AA050F)

  Scenario: E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED (0xC0AA0507) — a DVD+R is not CD media
    Given a drive with a blank DVD+R
    And a DiscFormat2TrackAtOnce on that recorder with client name "openimapi conformance"
    When I prepare the media
    Then it fails with E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED (0xC0AA0507)

  Scenario: E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK (0xC0AA0506) — a finalized CD-R
    Given the CD-R already holds a closed session
    When I prepare the media
    Then it fails with E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK (0xC0AA0506)

  Scenario: E_IMAPI_DF2TAO_RECORDER_NOT_SUPPORTED (0xC0AA050E) — a drive without the CD Track at Once feature (a read-only CD-ROM drive)
    # IMAPI2 refuses such a recorder when it is set; this API's recorder setter cannot ask the drive,
    # so prepareMedia does, before it locks anything.
    Given a DiscFormat2TrackAtOnce on a read-only CD-ROM drive with client name "openimapi conformance"
    When I prepare the media
    Then it fails with E_IMAPI_DF2TAO_RECORDER_NOT_SUPPORTED (0xC0AA050E)

  Scenario: E_IMAPI_RECORDER_LOCKED (0xC0AA0210) — another client holds the device
    Given another client holds exclusive access as "Other burner"
    When I prepare the media
    Then it fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)

  @fault
  Scenario: E_FAIL (0x80004005) — the drive fails with a hardware error
    Given the drive will report "hardware error" on the next READ DISC INFORMATION command
    When I prepare the media
    Then it fails with E_FAIL (0x80004005)

  Scenario: DoNotFinalizeMedia is read-only while the media is prepared
    Given the media is prepared
    When I set doNotFinalizeMedia to true
    Then it fails with E_IMAPI_DF2TAO_MEDIA_IS_PREPARED (0xC0AA0503)
    When I release the media
    And I set doNotFinalizeMedia to true
    Then it succeeds

  Scenario: media change notification is disabled while the media is prepared
    Given the media is prepared
    Then media change notification is disabled on the recorder
    When I release the media
    Then media change notification is enabled on the recorder

  @fault
  Scenario Outline: <hresult> (<value>) — the drive reports "<condition>"
    Given the drive will report "<condition>" on the next <command> command
    When I prepare the media
    Then it fails with <hresult> (<value>)

    Examples:
      | condition                 | command               | hresult                                       | value      |
      | no media                  | TEST UNIT READY       | E_IMAPI_RECORDER_MEDIA_NO_MEDIA               | 0xC0AA0202 |
      | becoming ready            | TEST UNIT READY       | E_IMAPI_RECORDER_MEDIA_BECOMING_READY         | 0xC0AA0205 |
      | format in progress        | TEST UNIT READY       | E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS     | 0xC0AA0206 |
      | long write in progress    | TEST UNIT READY       | E_IMAPI_RECORDER_MEDIA_BUSY                   | 0xC0AA0207 |
      | upside down               | READ TOC              | E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN            | 0xC0AA0204 |
      | incompatible medium       | READ DISC INFORMATION | E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE           | 0xC0AA0203 |
      | write protected           | MODE SELECT           | E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED        | 0xC0AA0209 |
      | speed mismatch            | SET CD SPEED          | E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH         | 0xC0AA020F |
      | no such mode page         | MODE SENSE            | E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE            | 0xC0AA0201 |
      | invalid mode parameters   | MODE SELECT           | E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS      | 0xC0AA0208 |
      | loss of streaming         | MODE SELECT           | E_IMAPI_LOSS_OF_STREAMING                     | 0xC0AA0300 |
      | invalid response          | READ DISC INFORMATION | E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE | 0xC0AA02FF |
      | device gone               | READ DISC INFORMATION | HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)       | 0x80070037 |

    @timeout
    Examples:
      | condition                 | command               | hresult                                       | value      |
      | command timeout           | READ DISC INFORMATION | E_IMAPI_RECORDER_COMMAND_TIMEOUT              | 0xC0AA020D |

  @fault
  Scenario: E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT (0xC0AA020E) — identifying a DVD whose structure the drive cannot return
    # Media identification reads the DVD physical format structure (READ DISC STRUCTURE format 00h) for
    # DVD profiles before deciding whether the media is supported.
    Given a drive with a blank DVD+R
    And a DiscFormat2TrackAtOnce on that recorder with client name "openimapi conformance"
    And the drive will report "dvd structure not present" on the next READ DISC STRUCTURE command
    When I prepare the media
    Then it fails with E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT (0xC0AA020E)

  Scenario: HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006) — the recorder was closed
    Given the recorder is closed
    When I prepare the media
    Then it fails with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006)

  @not-reachable
  Scenario: E_OUTOFMEMORY (0x8007000E) — cannot happen in this API
    Then the row E_OUTOFMEMORY (0x8007000E) is documented as not reachable from the TypeScript API
