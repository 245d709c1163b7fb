@method:IDiscFormat2Erase.FullErase
Feature: IDiscFormat2Erase::put_FullErase
  Whether EraseMedia erases the whole disc (true) or only what makes it look blank (false, the
  default: the table of contents / file system areas), which takes much less time.

  Background:
    Given a drive with a blank CD-RW
    And the disc already holds a closed session
    And a DiscFormat2Erase on that recorder with client name "openimapi conformance"

  Scenario: S_OK — the default is a quick erase
    Then fullErase is false

  Scenario Outline: S_OK — fullErase <value>: the CD-RW is blank afterwards
    When I set fullErase to <value>
    Then it succeeds
    And fullErase is <value>
    When I call eraseMedia
    Then it succeeds
    And the disc is blank

    Examples:
      | value |
      | true  |
      | false |

  @not-reachable
  Scenario: E_POINTER (0x80004003) — cannot happen in this API: a property, there is no pointer
    Then the row E_POINTER (0x80004003) is documented as not reachable from the TypeScript API
